extension Migrations {
    /// Version 4: each snapshot's comparison with the reference, kept when the snapshot is taken, so
    /// that `list` reads one row per snapshot instead of comparing every snapshot again.
    ///
    /// `reference` identifies everything the result depends on (the baseline's id or the reference
    /// directory's state, the ignore patterns, the TOML version): a row whose `reference` differs
    /// from the current one is stale and is computed again (after `baseline set`, say). Rows go
    /// with their snapshot when rotation deletes it.
    static func createVersion4(_ database: Database) throws {
        try database.execute(
            """
            CREATE TABLE comparisons (
                snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots(id) ON DELETE CASCADE,
                reference TEXT NOT NULL,
                changes INTEGER NOT NULL,
                critical INTEGER NOT NULL,
                warning INTEGER NOT NULL,
                info INTEGER NOT NULL,
                compared_at_ns INTEGER NOT NULL
            );
            """)
    }
}
