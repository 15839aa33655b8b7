import Crypto
import FoundationEssentials

/// The pieces of the age v1 format (https://age-encryption.org/v1) both directions share.
enum AgeFormat {
    static let versionLine = Array("age-encryption.org/v1\n".utf8)
    static let x25519Info = Array("age-encryption.org/v1/X25519".utf8)
    /// Plaintext bytes per payload chunk; each encrypted chunk adds a 16-byte tag.
    static let chunkSize = 64 * 1024
    static let tagSize = 16
    static let fileKeySize = 16
    static let payloadNonceSize = 16

    /// HKDF-SHA-256 with a 32-byte output, as every key of the format is derived.
    static func hkdf(_ inputKeyMaterial: [UInt8], salt: [UInt8], info: [UInt8]) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: inputKeyMaterial), salt: salt, info: info,
            outputByteCount: 32)
    }

    /// The header MAC key: HKDF(file key, salt empty, info "header").
    static func headerKey(_ fileKey: [UInt8]) -> SymmetricKey {
        hkdf(fileKey, salt: [], info: Array("header".utf8))
    }

    /// The payload key: HKDF(file key, salt nonce, info "payload").
    static func payloadKey(_ fileKey: [UInt8], nonce: [UInt8]) -> SymmetricKey {
        hkdf(fileKey, salt: nonce, info: Array("payload".utf8))
    }

    /// The ChaCha20-Poly1305 nonce of chunk `counter`: 11 bytes big-endian counter, then 1 for the
    /// final chunk, 0 otherwise.
    static func chunkNonce(_ counter: UInt64, final: Bool) -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { bytes[10 - index] = UInt8(truncatingIfNeeded: counter >> (8 * UInt64(index))) }
        bytes[11] = final ? 1 : 0
        return try! ChaChaPoly.Nonce(data: bytes)  // 12 bytes: always a valid nonce
    }

    /// The zero nonce stanza bodies are sealed with.
    static let zeroNonce = try! ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12))

    /// One X25519 stanza for `recipient`: the ephemeral share and the wrapped file key.
    static func x25519Stanza(fileKey: [UInt8], to recipient: AgeRecipient) throws -> (
        share: [UInt8], body: [UInt8]
    ) {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let share = Array(ephemeral.publicKey.rawRepresentation)
        let theirs = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: recipient.publicKey)
        let shared = try ephemeral.sharedSecretFromKeyAgreement(with: theirs)
        let wrapKey = hkdf(
            shared.withUnsafeBytes { Array($0) }, salt: share + recipient.publicKey, info: x25519Info)
        let sealed = try ChaChaPoly.seal(fileKey, using: wrapKey, nonce: zeroNonce)
        return (share, Array(sealed.ciphertext) + Array(sealed.tag))
    }

    /// The file key an X25519 stanza wraps for `identity`, or `nil` when the stanza is not for it.
    static func openX25519Stanza(share: [UInt8], body: [UInt8], identity: AgeIdentity) -> [UInt8]? {
        guard share.count == 32, body.count == fileKeySize + tagSize,
            let theirs = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: share),
            let shared = try? identity.privateKey.sharedSecretFromKeyAgreement(with: theirs)
        else { return nil }
        let secret = shared.withUnsafeBytes { Array($0) }
        guard secret.contains(where: { $0 != 0 }) else { return nil }  // a low-order share: abort this stanza
        let wrapKey = hkdf(secret, salt: share + identity.recipient.publicKey, info: x25519Info)
        guard
            let box = try? ChaChaPoly.SealedBox(
                nonce: zeroNonce, ciphertext: body[..<fileKeySize], tag: body[fileKeySize...]),
            let fileKey = try? ChaChaPoly.open(box, using: wrapKey)
        else { return nil }
        return Array(fileKey)
    }
}
