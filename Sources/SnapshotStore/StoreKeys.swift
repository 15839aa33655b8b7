extension SnapshotStore {
    static let secretFingerprintKeyName = "secret-fingerprint"

    /// The bytes of this store's key for secret fingerprints (DriftOperations makes DriftCore's
    /// `FingerprintKey` of them): random, made once with the store (schema 3), kept in the
    /// database. Anyone with the database has it, and has the secrets themselves too; anyone with
    /// only logs, event logs or hook payloads has neither. At least 16 bytes.
    package func secretFingerprintKeyBytes() throws -> [UInt8] {
        let select = "SELECT key FROM store_keys WHERE name = ?"
        if let bytes = try database.cached(select).firstRow(
            [.text(Self.secretFingerprintKeyName)], { $0.blob(0) }),
            bytes.count >= 16
        {
            return bytes
        }
        // Missing (or damaged): make a new one. Fingerprints shown before are not comparable with
        // the new ones, which is the safe side.
        try database.writeTransaction {
            try database.cached("INSERT OR REPLACE INTO store_keys (name, key) VALUES (?, ?)")
                .run([.text(Self.secretFingerprintKeyName), .blob(Self.newSecretKeyBytes())])
        }
        guard
            let bytes = try database.cached(select).firstRow(
                [.text(Self.secretFingerprintKeyName)], { $0.blob(0) })
        else { throw SnapshotStoreError.invalidArgument("the store's fingerprint key could not be kept") }
        return bytes
    }

    /// 32 random bytes from the system's generator: a new store key.
    static func newSecretKeyBytes() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
