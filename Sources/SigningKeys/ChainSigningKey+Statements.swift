import Crypto

/// The `kms-drift keygen` key pair used for more than chain hashes: a party signs its network
/// statement (`kms-drift statement`) with the same key format, so there is one key format and
/// one `keygen` for both.
extension ChainSigningKey {
    /// The Ed25519 signature (64 bytes) of `message`.
    package func signature(of message: [UInt8]) throws -> [UInt8] {
        Array(try privateKey.signature(for: message))
    }
}

extension ChainPublicKey {
    /// True when `signature` is this key's Ed25519 signature of `message`.
    package func isValidSignature(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: message)
    }

    /// The 32 bytes of the key (RFC 8032), as a keyring pins them.
    package var rawBytes: [UInt8] { Array(key.rawRepresentation) }

    /// Reads a `PUBLIC KEY` PEM block given as text (a keyring holds them inline); `source`
    /// names where the text came from in errors.
    package static func parse(pem text: String, source: String) throws(ChainKeyError) -> ChainPublicKey {
        let der = try PEM.decode(Array(text.utf8), path: source, label: "PUBLIC KEY")
        guard der.count == DER.ed25519PublicPrefix.count + 32, der.starts(with: DER.ed25519PublicPrefix),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
        else { throw .notAnEd25519Key(path: source, kind: "public") }
        return ChainPublicKey(key: key)
    }
}
