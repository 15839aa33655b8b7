extension SnapshotStore {
    /// Reports larger than this are not kept: a cycle compares again rather than store megabytes.
    static let maximumKeptReportSize = 4 << 20

    /// The encoded comparison report kept for `snapshot` under `key` (what it was compared with,
    /// and how), or `nil`: one report is kept, the last one computed.
    package func keptReport(of snapshot: SnapshotID, key: String) throws -> [UInt8]? {
        try database.cached(
            "SELECT report FROM comparison_report WHERE snapshot_id = ? AND comparison_key = ?"
        ).firstRow([.integer(snapshot.rawValue), .text(key)]) { $0.rawBytes(0) } ?? nil
    }

    /// Keeps `report` (encoded by the caller) as the comparison of `snapshot` under `key`, in
    /// place of any other; a report over ``maximumKeptReportSize`` only forgets the kept one.
    package func keepReport(_ report: [UInt8], of snapshot: SnapshotID, key: String) throws {
        try database.writeTransaction {
            guard report.count <= Self.maximumKeptReportSize else {
                return try database.execute("DELETE FROM comparison_report")
            }
            try database.cached(
                """
                INSERT OR REPLACE INTO comparison_report (singleton, snapshot_id, comparison_key, report)
                VALUES (1, ?, ?, ?)
                """
            ).run([.integer(snapshot.rawValue), .text(key), .blob(report)])
        }
    }
}
