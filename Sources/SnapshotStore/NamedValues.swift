extension SnapshotStore {
    /// A small value a caller kept under `name` between runs (the daemon's alert memory, the last
    /// backup written), and when it was written (nanoseconds since the epoch); `nil` if never
    /// written. The store gives the names no meaning: each caller owns its own.
    package func namedValue(_ name: String) throws -> (value: String, updatedAt: Int64)? {
        try database.cached("SELECT value, updated_at_ns FROM alert_state WHERE name = ?")
            .firstRow([.text(name)]) { row in (row.text(0), row.int64(1)) }
    }

    /// Stores `value` under `name`, replacing what was there, in its own transaction.
    package func setNamedValue(_ value: String, named name: String) throws {
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
