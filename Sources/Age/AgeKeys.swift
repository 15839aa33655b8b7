import Crypto
import FileSystem

/// An age X25519 recipient (`age1…`): who an export is encrypted to.
package struct AgeRecipient: Hashable, Sendable, CustomStringConvertible {
    let publicKey: [UInt8]

    /// Parses `age1…` as `age-keygen` prints it.
    package init(parsing text: String) throws(AgeError) {
        guard let (hrp, data) = Bech32.decode(text), hrp == "age", data.count == 32,
            text == text.lowercased()
        else { throw .invalidRecipient(text) }
        publicKey = data
    }

    init(publicKey: [UInt8]) { self.publicKey = publicKey }

    package var description: String { Bech32.encode(hrp: "age", data: publicKey) }

    /// Recipients in a file as `age -R` reads them: one per line, `#` comments and blank lines
    /// ignored. Only X25519 recipients (`age1…`) are supported.
    package static func parseFile(_ text: String, source: String) throws(AgeError) -> [AgeRecipient] {
        var recipients: [AgeRecipient] = []
        for line in TextLines.lines(of: text) {
            let trimmed = line.trimmingWhitespace
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            recipients.append(try AgeRecipient(parsing: trimmed))
        }
        return recipients
    }
}

/// An age X25519 identity (`AGE-SECRET-KEY-1…`): what decrypts an export.
package struct AgeIdentity: Sendable {
    let privateKey: Curve25519.KeyAgreement.PrivateKey

    /// A new random identity.
    package init() { privateKey = Curve25519.KeyAgreement.PrivateKey() }

    /// Parses one `AGE-SECRET-KEY-1…` string.
    package init?(parsing text: String) {
        guard let (hrp, data) = Bech32.decode(text), hrp == "age-secret-key-", data.count == 32,
            text == text.uppercased(),
            let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: data)
        else { return nil }
        privateKey = key
    }

    /// The recipient that encrypts to this identity.
    package var recipient: AgeRecipient {
        AgeRecipient(publicKey: Array(privateKey.publicKey.rawRepresentation))
    }

    /// `AGE-SECRET-KEY-1…`, as `age-keygen` writes it.
    package var encoded: String {
        Bech32.encode(hrp: "age-secret-key-", data: Array(privateKey.rawRepresentation)).uppercased()
    }

    /// The identities of a key file as `age -i` reads it (`age-keygen` output): one per line,
    /// `#` comments and blank lines ignored; any other line is an error naming it.
    package static func parseFile(_ text: String, source: String) throws(AgeError) -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        for (index, line) in TextLines.lines(of: text).enumerated() {
            let trimmed = line.trimmingWhitespace
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            guard let identity = AgeIdentity(parsing: trimmed) else {
                throw .invalidIdentity(source: source, line: index + 1)
            }
            identities.append(identity)
        }
        guard !identities.isEmpty else { throw .noIdentity(source: source) }
        return identities
    }
}

extension Substring {
    fileprivate var trimmingWhitespace: String {
        var text = self
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return String(text)
    }
}
