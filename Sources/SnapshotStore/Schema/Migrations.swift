/// Schema migrations keyed by `PRAGMA user_version`.
///
/// `steps[n]` takes a database from version `n` to `n + 1`; a v2 migration is one more function
/// appended to the list. All pending steps run in one write transaction with the version bump.
enum Migrations {
    static let steps: [@Sendable (Database) throws -> Void] = [
        createVersion1, createVersion2, createVersion3, createVersion4, createChain, createVersion6,
        createChainMarks, createCycleCaches,
    ]

    /// The schema version this build writes.
    static var latestVersion: Int { steps.count }

    /// Brings the database to ``latestVersion``, or refuses a database from a newer kms-drift.
    static func migrate(_ database: Database) throws {
        let found = Int(try database.scalarInt64("PRAGMA user_version") ?? 0)
        if found > latestVersion {
            throw SnapshotStoreError.schemaTooNew(path: database.path, found: found, supported: latestVersion)
        }
        try ChainDamageCheck.check(database, version: found)
        guard found < latestVersion else { return }
        try database.writeTransaction {
            // Re-read under the write lock: another process may have migrated meanwhile.
            let current = Int(try database.scalarInt64("PRAGMA user_version") ?? 0)
            if current == 0 {
                let tables =
                    try database.scalarInt64("SELECT count(*) FROM sqlite_schema WHERE type = 'table'") ?? 0
                if tables > 0 {
                    throw SnapshotStoreError.notADatabase(
                        path: database.path, sqliteMessage: "it is an SQLite database of another application")
                }
            }
            for step in steps[min(current, latestVersion)...] {
                try step(database)
            }
            try ChainMarks(database: database).set(.schemaHighWater, "\(latestVersion)")
            try database.execute("PRAGMA user_version = \(latestVersion)")
        }
    }

    /// Version 1: content-addressed blobs in chunks, deduplicated file states, compact manifests.
    static func createVersion1(_ database: Database) throws {
        try database.execute(
            """
            -- One row per distinct content (SHA-256). stored = 0: only the hash is known (file too big).
            CREATE TABLE blobs (
                id INTEGER PRIMARY KEY,
                sha256 BLOB NOT NULL UNIQUE,
                size INTEGER NOT NULL,
                stored INTEGER NOT NULL
            );
            -- Content in chunks of at most 1 MiB, so big files stream in and out; encoding 0 raw, 2 zstd.
            CREATE TABLE blob_chunks (
                blob_id INTEGER NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                encoding INTEGER NOT NULL,
                length INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (blob_id, seq)
            );
            -- Each relative path once, whatever the number of snapshots.
            CREATE TABLE paths (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE
            );
            -- What one path looked like; shared by every snapshot in which it did not change.
            -- kind: 0 regular, 1 symlink (detail = target), 2 unreadable, 3 vanished (detail = reason).
            CREATE TABLE file_states (
                id INTEGER PRIMARY KEY,
                path_id INTEGER NOT NULL REFERENCES paths(id),
                kind INTEGER NOT NULL,
                mode INTEGER NOT NULL,
                size INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL,
                ctime_ns INTEGER NOT NULL,
                inode INTEGER NOT NULL,
                blob_id INTEGER REFERENCES blobs(id),
                detail TEXT
            );
            CREATE INDEX file_states_by_identity ON file_states(path_id, mtime_ns);
            CREATE INDEX file_states_by_blob ON file_states(blob_id);
            -- AUTOINCREMENT: an id is never reused after rotation, so #12 always means the same snapshot.
            CREATE TABLE snapshots (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                taken_at_ns INTEGER NOT NULL,
                root TEXT NOT NULL,
                file_count INTEGER NOT NULL DEFAULT 0,
                total_size INTEGER NOT NULL DEFAULT 0,
                pinned INTEGER NOT NULL DEFAULT 0
            );
            -- The manifest: about 10 bytes per file and snapshot. state_id is deliberately not a foreign
            -- key: checking it on every state deletion would need a second index over the largest
            -- table, and rotation only deletes states that no entry holds.
            CREATE TABLE entries (
                snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
                state_id INTEGER NOT NULL,
                PRIMARY KEY (snapshot_id, state_id)
            ) WITHOUT ROWID;
            -- At most one baseline; the foreign key keeps its snapshot from being deleted.
            CREATE TABLE baseline (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
                reason TEXT NOT NULL,
                set_at_ns INTEGER NOT NULL
            );
            """)
    }

    /// Version 2: named alert state, so that a drift is raised once, not every cycle, even by the
    /// one-shot mode, whose process does not live from one run to the next.
    static func createVersion2(_ database: Database) throws {
        try database.execute(
            """
            CREATE TABLE alert_state (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at_ns INTEGER NOT NULL
            );
            """)
    }

    /// Version 3: what a restore needs to give a file back exactly as it was, and the store's own
    /// secret.
    /// - `file_states.uid`, `gid`: the owner and group of every path (NULL in states recorded before
    ///   version 3: those restore as before, owned by whoever restores them).
    /// - kind 4: a directory, with its mode and owner (before version 3 directories were not
    ///   recorded and came back 0700).
    /// - `snapshots.manifest_digest`: see `ManifestDigest`; NULL for snapshots taken before.
    /// - `store_keys`: random keys generated once per store, such as the HMAC key that secret
    ///   fingerprints are computed with, so that a fingerprint cannot be brute-forced without it.
    static func createVersion3(_ database: Database) throws {
        try database.execute(
            """
            ALTER TABLE snapshots ADD COLUMN manifest_digest BLOB;
            ALTER TABLE file_states ADD COLUMN uid INTEGER;
            ALTER TABLE file_states ADD COLUMN gid INTEGER;
            CREATE TABLE store_keys (
                name TEXT PRIMARY KEY,
                key BLOB NOT NULL
            );
            """)
        try database.cached("INSERT INTO store_keys (name, key) VALUES (?, ?)")
            .run([.text(SnapshotStore.secretFingerprintKeyName), .blob(SnapshotStore.newSecretKeyBytes())])
    }
}
