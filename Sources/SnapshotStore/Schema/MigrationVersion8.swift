extension Migrations {
    /// Version 8: `stamp_digest`, the digest of the walk that last found the latest snapshot's
    /// content (see ``StampDigestCheck``): one row, replaced by every cycle that changes it. A cache:
    /// deleting it only makes the next cycle compare in full. `IF NOT EXISTS`: a store set back to
    /// an older version by hand (damage the chain check reports) may still hold it.
    static func createStampDigest(_ database: Database) throws {
        try database.execute(
            """
            CREATE TABLE IF NOT EXISTS stamp_digest (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                snapshot_id INTEGER NOT NULL,
                digest BLOB NOT NULL
            );
            """)
    }
}
