import Crypto
import FileSystem
import FoundationEssentials

/// The Ed25519 key pair that signs chain links (`[store] signing_key`), in the PEM files
/// OpenSSL reads: the private key as PKCS #8, the public key as SubjectPublicKeyInfo. So a
/// signature can be checked with `openssl pkeyutl -verify -rawin` as well as with `verify`.
package struct ChainSigningKey: Sendable {
    let privateKey: Curve25519.Signing.PrivateKey

    /// A new random key.
    package init() { privateKey = Curve25519.Signing.PrivateKey() }

    init(privateKey: Curve25519.Signing.PrivateKey) { self.privateKey = privateKey }

    package var publicKey: ChainPublicKey { ChainPublicKey(key: privateKey.publicKey) }

    /// Signs `message` (a chain hash, a statement's canonical bytes).
    package func signature(for message: [UInt8]) throws -> [UInt8] {
        Array(try privateKey.signature(for: message))
    }

    /// The private key as a PEM `PRIVATE KEY` block.
    package var pemRepresentation: String {
        PEM.encode(label: "PRIVATE KEY", der: DER.ed25519PrivatePrefix + Array(privateKey.rawRepresentation))
    }

    /// Reads a private key written by `kms-drift keygen` (or `openssl genpkey -algorithm ed25519`).
    package static func load(path: String) throws(ChainKeyError) -> ChainSigningKey {
        let der = try PEM.decodeFile(path, label: "PRIVATE KEY")
        guard der.count == DER.ed25519PrivatePrefix.count + 32, der.starts(with: DER.ed25519PrivatePrefix),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
        else { throw .notAnEd25519Key(path: path, kind: "private") }
        return ChainSigningKey(privateKey: key)
    }

    /// Writes a new key pair: the private key at `path` and the public key at `path.pub`, both
    /// mode 0400, created exclusively so an existing key is never overwritten.
    package static func generate(path: String) throws(ChainKeyError) -> (
        ChainSigningKey, publicKeyPath: String
    ) {
        let key = ChainSigningKey()
        let publicPath = path + ".pub"
        try writeExclusively(key.pemRepresentation, to: path)
        do {
            try writeExclusively(key.publicKey.pemRepresentation, to: publicPath)
        } catch {
            OpenFile.remove(path)
            throw error
        }
        return (key, publicPath)
    }

    private static func writeExclusively(_ text: String, to path: String) throws(ChainKeyError) {
        let descriptor: Int32
        switch OpenFile.createExclusively(path, mode: 0o400) {
        case .success(let created): descriptor = created
        case .failure(let code) where code.isAlreadyExists: throw .alreadyExists(path: path)
        case .failure(let code): throw .unwritable(path: path, reason: code.description)
        }
        let code = POSIX.writeAll(descriptor, Array(text.utf8))
        let failure = code != 0 ? ErrnoCode(code) : OpenFile.sync(descriptor)
        OpenFile.close(descriptor)
        if let failure {
            OpenFile.remove(path)
            throw .unwritable(path: path, reason: failure.description)
        }
    }
}

/// The public half of a ``ChainSigningKey``: what `verify --public-key` checks signatures with.
package struct ChainPublicKey: Sendable, Hashable {
    let key: Curve25519.Signing.PublicKey

    package static func == (lhs: ChainPublicKey, rhs: ChainPublicKey) -> Bool {
        lhs.key.rawRepresentation == rhs.key.rawRepresentation
    }

    package func hash(into hasher: inout Hasher) { hasher.combine(key.rawRepresentation) }

    /// True when `signature` is this key's signature of `message`.
    package func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: message)
    }

    /// The public key as a PEM `PUBLIC KEY` block.
    package var pemRepresentation: String {
        PEM.encode(label: "PUBLIC KEY", der: DER.ed25519PublicPrefix + Array(key.rawRepresentation))
    }

    /// Reads a public key written by `kms-drift keygen` (or `openssl pkey -pubout`).
    package static func load(path: String) throws(ChainKeyError) -> ChainPublicKey {
        let der = try PEM.decodeFile(path, label: "PUBLIC KEY")
        guard der.count == DER.ed25519PublicPrefix.count + 32, der.starts(with: DER.ed25519PublicPrefix),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
        else { throw .notAnEd25519Key(path: path, kind: "public") }
        return ChainPublicKey(key: key)
    }
}

/// Why a signing key could not be read or written.
package enum ChainKeyError: Error, CustomStringConvertible, Sendable, Equatable {
    case unreadable(path: String, reason: String)
    case notPEM(path: String, label: String)
    case notAnEd25519Key(path: String, kind: String)
    case alreadyExists(path: String)
    case unwritable(path: String, reason: String)

    package var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read the key \(path): \(reason); check the path and that kms-drift may read it"
        case .notPEM(let path, let label):
            return
                "\(path) holds no PEM block \"-----BEGIN \(label)-----\"; give a key written by kms-drift keygen"
        case .notAnEd25519Key(let path, let kind):
            return "\(path) is not an Ed25519 \(kind) key; give a key written by kms-drift keygen"
        case .alreadyExists(let path):
            return "\(path) already exists; kms-drift keygen never overwrites a key — choose another path "
                + "or move the old key away first"
        case .unwritable(let path, let reason):
            return "cannot write the key \(path): \(reason)"
        }
    }
}

/// The fixed DER prefixes of Ed25519 keys (RFC 8410): the key bytes follow them.
enum DER {
    static let ed25519PrivatePrefix: [UInt8] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    static let ed25519PublicPrefix: [UInt8] = [
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ]
}

/// PEM armour: base64 of DER between `-----BEGIN label-----` and `-----END label-----`.
enum PEM {
    static func encode(label: String, der: [UInt8]) -> String {
        let base64 = Data(der).base64EncodedString()
        var lines: [String] = ["-----BEGIN \(label)-----"]
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    static func decodeFile(_ path: String, label: String) throws(ChainKeyError) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(path)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        return try decode(bytes, path: path, label: label)
    }

    /// The DER of the first `label` block in `bytes`; `path` names the source in errors.
    static func decode(_ bytes: [UInt8], path: String, label: String) throws(ChainKeyError) -> [UInt8] {
        let lines = TextLines.lines(of: bytes).map {
            $0.filter { !$0.isWhitespace }
        }
        guard let begin = lines.firstIndex(of: "-----BEGIN\(label.filter { !$0.isWhitespace })-----"),
            let end = lines[begin...].firstIndex(of: "-----END\(label.filter { !$0.isWhitespace })-----")
        else { throw .notPEM(path: path, label: label) }
        let body = lines[(begin + 1)..<end].joined()
        guard let der = Data(base64Encoded: String(body)) else { throw .notPEM(path: path, label: label) }
        return Array(der)
    }
}
