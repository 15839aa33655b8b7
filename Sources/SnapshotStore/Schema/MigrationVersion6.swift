extension Migrations {
    /// Version 6 (issue 17): a history of distinct states.
    ///
    /// - `snapshots.checked_at_ns`, `unchanged_checks`: when a cycle last found this state, and how
    ///   many cycles found it unchanged. An unchanged cycle stores no snapshot; it updates these on
    ///   the snapshot it confirmed.
    /// - `baseline.previous_snapshot_id`, `previous_reason`: the baseline before the last
    ///   `baseline set`, kept from rotation until the next accept (`restore previous-baseline`).
    /// - `store_keys` `store-identity`: random bytes made once per store, which names its exports so
    ///   that two stores never take each other's backups for their own, even on one host.
    static func createVersion6(_ database: Database) throws {
        try database.execute(
            """
            ALTER TABLE snapshots ADD COLUMN checked_at_ns INTEGER;
            ALTER TABLE snapshots ADD COLUMN unchanged_checks INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE baseline ADD COLUMN previous_snapshot_id INTEGER REFERENCES snapshots(id);
            ALTER TABLE baseline ADD COLUMN previous_reason TEXT;
            """)
        try database.cached("INSERT OR IGNORE INTO store_keys (name, key) VALUES (?, ?)")
            .run([.text(SnapshotStore.storeIdentityKeyName), .blob(StoreIdentity.random().bytes)])
    }
}
