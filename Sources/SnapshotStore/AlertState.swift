extension SnapshotStore {
    /// A value the alerting logic kept under `name` (e.g. the signature of the last drift raised),
    /// and when it was written; `nil` if never written.
    package func alertState(named name: String) throws -> (value: String, updatedAt: Int64)? {
        try database.cached("SELECT value, updated_at_ns FROM alert_state WHERE name = ?")
            .firstRow([.text(name)]) { row in (row.text(0), row.int64(1)) }
    }

    /// Stores `value` under `name`, replacing what was there, in its own transaction.
    package func setAlertState(_ value: String, named name: String) throws {
        try database.writeTransaction {
            try database.cached(
                """
                INSERT INTO alert_state (name, value, updated_at_ns) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at_ns = excluded.updated_at_ns
                """
            ).run([.text(name), .text(value), .integer(currentTimeNanoseconds())])
        }
    }
}
