import DriftCore

extension SnapshotStore {
    static let secretFingerprintKeyName = "secret-fingerprint"

    /// This store's key for secret fingerprints (see `FingerprintKey`): random, made once with the
    /// store (schema 3), kept in the database. Anyone with the database has it, and has the secrets
    /// themselves too; anyone with only logs, event logs or hook payloads has neither.
    package func secretFingerprintKey() throws -> FingerprintKey {
        let select = "SELECT key FROM store_keys WHERE name = ?"
        if let bytes = try database.cached(select).firstRow(
            [.text(Self.secretFingerprintKeyName)], { $0.blob(0) }),
            bytes.count >= 16
        {
            return FingerprintKey(bytes: bytes)
        }
        // Missing (or damaged): make a new one. Fingerprints shown before are not comparable with
        // the new ones, which is the safe side.
        try database.writeTransaction {
            try database.cached("INSERT OR REPLACE INTO store_keys (name, key) VALUES (?, ?)")
                .run([.text(Self.secretFingerprintKeyName), .blob(FingerprintKey.random().bytes)])
        }
        guard
            let bytes = try database.cached(select).firstRow(
                [.text(Self.secretFingerprintKeyName)], { $0.blob(0) })
        else { throw SnapshotStoreError.invalidArgument("the store's fingerprint key could not be kept") }
        return FingerprintKey(bytes: bytes)
    }
}
