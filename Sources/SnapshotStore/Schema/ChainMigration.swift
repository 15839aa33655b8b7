extension Migrations {
    /// Version 5 (after issue 9's 3 and issue 11's 4): snapshot metadata and the tamper-evident
    /// hash chain.
    ///
    /// - `chain_links`: one row per snapshot ever taken, never deleted by rotation (only marked
    ///   `rotated_at_ns`), holding the snapshot's metadata and its link of the hash chain (see
    ///   ``ChainSerialization``). `snapshot_id` is deliberately not a foreign key: the link
    ///   outlives the snapshot.
    /// - Snapshots that exist already are chained now, oldest first, with unknown metadata: the
    ///   history recorded before this version is covered from the first open on.
    static func createChain(_ database: Database) throws {
        try database.execute(
            """
            CREATE TABLE chain_links (
                snapshot_id INTEGER PRIMARY KEY,
                taken_at_ns INTEGER NOT NULL,
                root TEXT NOT NULL,
                host TEXT,
                machine_id TEXT,
                tool_version TEXT,
                origin TEXT NOT NULL,
                note TEXT,
                network_fingerprint TEXT,
                format INTEGER NOT NULL,
                manifest_sha256 BLOB NOT NULL,
                previous_sha256 BLOB NOT NULL,
                chain_sha256 BLOB NOT NULL,
                signature BLOB,
                rotated_at_ns INTEGER
            );
            """)
        var existing: [SnapshotID] = []
        try database.prepare("SELECT id FROM snapshots ORDER BY id").forEachRow {
            existing.append(SnapshotID($0.int64(0)))
        }
        let writer = ChainWriter(database: database)
        for snapshot in existing {
            try writer.append(snapshot, metadata: SnapshotMetadata(origin: .unknown), signingKey: nil)
        }
    }
}
