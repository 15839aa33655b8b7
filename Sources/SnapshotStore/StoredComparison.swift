import DriftCore

/// What a snapshot's comparison with the reference found, in numbers: kept when the snapshot is
/// taken, so `list` reads it back instead of comparing every snapshot again on every call.
package struct StoredComparison: Hashable, Sendable {
    /// Identifies what the snapshot was compared with and how (see
    /// `DriftConfiguration.referenceIdentity(in:)`); a different value means the row is stale.
    package var reference: String
    /// Differences, counted as `DriftReport.changeCount` counts them; 0 means the same as the reference.
    package var changeCount: Int
    package var countsBySeverity: [Severity: Int]

    package init(reference: String, changeCount: Int, countsBySeverity: [Severity: Int]) {
        self.reference = reference
        self.changeCount = changeCount
        self.countsBySeverity = countsBySeverity
    }

    /// The numbers of `report`, compared with `reference`.
    package init(reference: String, report: DriftReport) {
        self.init(
            reference: reference, changeCount: report.changeCount, countsBySeverity: report.countsBySeverity)
    }
}

extension SnapshotStore {
    /// Every stored comparison, by snapshot, in one query.
    package func storedComparisons() throws -> [SnapshotID: StoredComparison] {
        var result: [SnapshotID: StoredComparison] = [:]
        try database.readTransaction {
            try database.cached(
                "SELECT snapshot_id, reference, changes, critical, warning, info FROM comparisons"
            )
            .forEachRow { row in
                var counts: [Severity: Int] = [:]
                for (column, severity) in [(3, Severity.critical), (4, .warning), (5, .info)] {
                    let count = Int(row.int64(Int32(column)))
                    if count > 0 { counts[severity] = count }
                }
                result[SnapshotID(row.int64(0))] = StoredComparison(
                    reference: row.text(1), changeCount: Int(row.int64(2)), countsBySeverity: counts)
            }
        }
        return result
    }

    /// Keeps `comparison` as what `snapshot` was found to be against the reference, replacing an
    /// older one. A snapshot that rotation deleted meanwhile is skipped, not an error.
    package func recordComparison(_ comparison: StoredComparison, of snapshot: SnapshotID) throws {
        try database.writeTransaction {
            try database.cached(
                """
                INSERT INTO comparisons (snapshot_id, reference, changes, critical, warning, info, compared_at_ns)
                SELECT id, ?, ?, ?, ?, ?, ? FROM snapshots WHERE id = ?
                ON CONFLICT (snapshot_id) DO UPDATE SET reference = excluded.reference,
                    changes = excluded.changes, critical = excluded.critical, warning = excluded.warning,
                    info = excluded.info, compared_at_ns = excluded.compared_at_ns
                """
            ).run([
                .text(comparison.reference), .integer(Int64(comparison.changeCount)),
                .integer(Int64(comparison.countsBySeverity[.critical] ?? 0)),
                .integer(Int64(comparison.countsBySeverity[.warning] ?? 0)),
                .integer(Int64(comparison.countsBySeverity[.info] ?? 0)),
                .integer(currentTimeNanoseconds()), .integer(snapshot.rawValue),
            ])
        }
    }
}
