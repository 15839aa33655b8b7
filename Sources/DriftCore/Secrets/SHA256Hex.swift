import Crypto
import FileSystem

/// SHA-256 as lower-case hex: the one way kms-drift names content without showing it
/// (secret fingerprints, file summaries, network fingerprints, drift signatures).
package enum SHA256Hex {
    /// The first `digits` hex digits (all 64 by default) of the SHA-256 of `bytes`.
    package static func of(_ bytes: [UInt8], digits: Int = 64) -> String {
        String(Hex.encode(SHA256.hash(data: bytes).prefix((digits + 1) / 2)).prefix(digits))
    }

    package static func of(_ text: String, digits: Int = 64) -> String {
        of(Array(text.utf8), digits: digits)
    }
}
