extension Migrations {
    /// Version 7 (issue 18): what the store remembers about its own chain outside `chain_links`,
    /// so that dropping that table or setting `user_version` back is seen as damage instead of
    /// being "migrated" into a fresh, silently re-chained history.
    ///
    /// - `chain_marks`: named facts, never deleted by kms-drift — `schema_high_water` (the highest
    ///   schema version ever written to this file), `chain_began` (the chain table existed) and
    ///   `signing_began` (the first signed link, and the public key that signed it).
    /// - A store that already signs gets its `signing_began` from its first signed link.
    static func createChainMarks(_ database: Database) throws {
        try database.execute(
            """
            CREATE TABLE chain_marks (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                set_at_ns INTEGER NOT NULL
            );
            """)
        let marks = ChainMarks(database: database)
        try marks.set(.chainBegan, "1")
        if let firstSigned = try database.scalarInt64(
            "SELECT min(snapshot_id) FROM chain_links WHERE signature IS NOT NULL")
        {
            try marks.set(
                .signingBegan,
                ChainMarks.SigningStart(snapshot: SnapshotID(firstSigned), publicKeyHex: nil).text)
        }
    }
}
