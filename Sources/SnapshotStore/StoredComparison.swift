/// What a snapshot's comparison with the reference found, in numbers: kept when the snapshot is
/// taken, so `list` reads it back instead of comparing every snapshot again on every call.
///
/// Plain counts: DriftOperations makes them of a `DriftReport` and reads them back by severity.
package struct StoredComparison: Hashable, Sendable {
    /// Identifies what the snapshot was compared with and how (see
    /// `DriftConfiguration.referenceIdentity(in:)`); a different value means the row is stale.
    package var reference: String
    /// Differences, counted as `DriftReport.changeCount` counts them; 0 means the same as the reference.
    package var changeCount: Int
    /// Differences of severity critical, warning and info.
    package var criticalCount: Int
    package var warningCount: Int
    package var infoCount: Int

    package init(
        reference: String, changeCount: Int, criticalCount: Int, warningCount: Int, infoCount: Int
    ) {
        self.reference = reference
        self.changeCount = changeCount
        self.criticalCount = criticalCount
        self.warningCount = warningCount
        self.infoCount = infoCount
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
                result[SnapshotID(row.int64(0))] = StoredComparison(
                    reference: row.text(1), changeCount: Int(row.int64(2)), criticalCount: Int(row.int64(3)),
                    warningCount: Int(row.int64(4)), infoCount: Int(row.int64(5)))
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
                .integer(Int64(comparison.criticalCount)), .integer(Int64(comparison.warningCount)),
                .integer(Int64(comparison.infoCount)),
                .integer(currentTimeNanoseconds()), .integer(snapshot.rawValue),
            ])
        }
    }
}
