import SigningKeys

extension ChainSigningKey {
    /// Signs the 32 bytes of a chain hash.
    func sign(_ chainHash: ContentHash) throws -> [UInt8] {
        try signature(for: chainHash.bytes)
    }
}

extension ChainPublicKey {
    /// True when `signature` is this key's signature of the chain hash.
    package func isValid(_ signature: [UInt8], for chainHash: ContentHash) -> Bool {
        isValidSignature(signature, for: chainHash.bytes)
    }
}
