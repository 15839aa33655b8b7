import DriftCore

/// Version 1 of the network statement (`kms-drift.statement/1`): the one place its constants
/// and its hashing rules live, so `kms-drift statement`, `network check`, the daemon and
/// `scripts/statement_v1.py` agree byte for byte. The README's "The network's agreement" is its
/// specification.
///
/// Every digest is SHA-256 over UTF-8 text whose first lines separate domains (the format, the
/// kind of digest, the network's name and the network's salt), so a digest is meaningful only
/// inside one network and cannot be replayed as another component's:
/// ```
/// leaf:  "kms-drift.statement/1 leaf\n"  + network + "\n" + salt_hex + "\n" + path + "\n" + canonical value + "\n"
/// group: "kms-drift.statement/1 group\n" + network + "\n" + salt_hex + "\n" + path + "\n"
///        + one "member_path member_digest\n" per member, members sorted by the UTF-8 bytes of their path
/// ```
/// Canonical values are those of the network fingerprint (`NetworkFingerprint.canonical`).
package enum StatementFormat {
    /// The `format` member of every version 1 statement.
    package static let name = "kms-drift.statement/1"
    /// Statements larger than this are refused before they are parsed.
    package static let maximumSize: Int64 = 1 << 20

    /// `sha256:` and the hex digest of a leaf component.
    static func leafDigest(network: String, saltHex: String, path: String, canonical: String) -> String {
        "sha256:"
            + SHA256Hex.of("\(name) leaf\n\(network)\n\(saltHex)\n\(path)\n\(canonical)\n")
    }

    /// `sha256:` and the hex digest of a group over its members' digests.
    static func groupDigest(network: String, saltHex: String, path: String, members: [(String, String)])
        -> String
    {
        var text = "\(name) group\n\(network)\n\(saltHex)\n\(path)\n"
        for (memberPath, digest) in members.sorted(by: {
            Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8))
        }) {
            text += "\(memberPath) \(digest)\n"
        }
        return "sha256:" + SHA256Hex.of(text)
    }

    /// What the salt is called in a statement: 16 hex digits of its hash, or `none`. Parties
    /// that digest with different salts then disagree about the salt, not about every component.
    static func saltIdentifier(saltHex: String) -> String {
        saltHex.isEmpty ? "none" : SHA256Hex.of("\(name) salt\n\(saltHex)\n", digits: 16)
    }

    /// True for `sha256:` followed by 64 lower-case hex digits.
    static func isDigest(_ text: String) -> Bool {
        let hex = text.utf8.dropFirst(7)
        return text.hasPrefix("sha256:") && hex.count == 64
            && hex.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// True when `ancestor` is a group above `path` (`threshold.peers` above
    /// `threshold.peers[party_id=7]`, which is above `threshold.peers[party_id=7].port`).
    static func isAncestor(_ ancestor: String, of path: String) -> Bool {
        guard path.count > ancestor.count, path.hasPrefix(ancestor) else { return false }
        let next = path[path.index(path.startIndex, offsetBy: ancestor.count)]
        return next == "." || next == "["
    }
}
