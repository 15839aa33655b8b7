extension Migrations {
    /// Version 8: two caches of the latest cycle, each one row, replaced by the next cycle that
    /// computes it again. Deleting either only makes the next cycle do the work in full.
    /// - `stamp_digest`: the digest of the walk that last found the latest snapshot's content (see
    ///   ``StampDigestCheck``).
    /// - `comparison_report`: the last comparison report with the reference, encoded by the
    ///   caller, and the key of what it compared (snapshot, reference, settings), so that a cycle
    ///   that finds the same state against the same reference need not parse every changed file
    ///   again.
    ///
    /// `IF NOT EXISTS`: a store set back to an older version by hand (damage the chain check
    /// reports) may still hold them.
    static func createCycleCaches(_ database: Database) throws {
        try database.execute(
            """
            CREATE TABLE IF NOT EXISTS stamp_digest (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                snapshot_id INTEGER NOT NULL,
                digest BLOB NOT NULL
            );
            CREATE TABLE IF NOT EXISTS comparison_report (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                snapshot_id INTEGER NOT NULL,
                comparison_key TEXT NOT NULL,
                report BLOB NOT NULL
            );
            """)
    }
}
