import Crypto
import FileSystem

/// The key secret fingerprints are computed with (HMAC-SHA-256), so that a fingerprint shows that
/// a secret changed without letting anyone test guesses against it: without the key, `hmac:…` of
/// `hunter2` cannot be told from that of any other word.
///
/// - A store has its own random key, kept in its database: fingerprints from the daemon, the
///   one-shot `snapshot`, `diff` and `list` of one store are comparable run after run.
/// - `check` and `consistency` outside a store use a key made for the run (``perRun``): two runs
///   fingerprint the same secret differently. `--secret-key-file` gives a key to compare runs.
package struct FingerprintKey: Sendable, Hashable {
    package let bytes: [UInt8]

    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// 32 random bytes from the system's generator.
    package static func random() -> FingerprintKey {
        var generator = SystemRandomNumberGenerator()
        return FingerprintKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The key of this process when no other is given: random, made once, never written anywhere.
    package static let perRun = FingerprintKey.random()

    /// A key read from a file (`--secret-key-file`): its bytes, at least 16 of them, at most 4 KiB,
    /// a regular file. Share it only where fingerprints must be comparable: whoever has it can test
    /// guesses.
    package static func load(from path: String) throws(DriftCoreError) -> FingerprintKey {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(path, maximumSize: 4096)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        guard bytes.count >= 16 else {
            throw .unreadable(
                path: path,
                reason:
                    "a secret key file must hold at least 16 bytes (for example `head -c 32 /dev/urandom`)")
        }
        return FingerprintKey(bytes: bytes)
    }

    /// `hmac:` and the first 12 hex digits of HMAC-SHA-256(key, text).
    package func fingerprint(of text: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: bytes))
        return "hmac:" + Hex.encode(code.prefix(6))
    }
}
