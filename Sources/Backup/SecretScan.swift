import DriftCore
import TOML

/// Finds what makes a snapshot unfit to leave the node unencrypted: a file only its owner may
/// read (how key files are kept: 0600, 0400), private key material (PEM private keys, age
/// identities) in any file, and values the secret policy redacts in a TOML file (the same rule
/// that keeps them out of diffs and logs).
enum SecretScan {
    private static let markers = ["PRIVATE KEY-----", "AGE-SECRET-KEY-1"].map { Array($0.utf8) }

    /// Why a file of this mode holds a secret, or `nil` (decided without reading it).
    static func reason(path: String, mode: UInt32) -> String? {
        mode & 0o044 == 0
            ? "\(path) is readable by its owner only (mode \(String(mode & 0o7777, radix: 8)))" : nil
    }

    /// Why `bytes` (the content of `path`) holds a secret, or `nil`.
    static func reason(path: String, bytes: [UInt8]) -> String? {
        for marker in markers where contains(bytes, marker) {
            return "\(path) holds a private key"
        }
        guard path.hasSuffix(".toml"), let root = try? TOMLParser().parse(bytes, fileName: path) else {
            return nil
        }
        if let key = secretKey(in: .table(root), at: .root, policy: SecretPolicy()) {
            return "\(path) holds a secret at \(key)"
        }
        return nil
    }

    private static func secretKey(in value: TOMLValue, at path: KeyPath, policy: SecretPolicy) -> KeyPath? {
        switch value {
        case .table(let table):
            for entry in table.entries {
                if let found = secretKey(in: entry.value, at: path.appending(key: entry.key), policy: policy)
                {
                    return found
                }
            }
            return nil
        case .array(let array):
            for index in 0..<array.count {
                if let found = secretKey(
                    in: array[index], at: path.appending(.position(index)), policy: policy)
                {
                    return found
                }
            }
            return nil
        case .string(let text) where text.isEmpty:
            return nil
        default:
            return policy.redactedText(of: value, at: path) != nil ? path : nil
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            guard let found = haystack[index...last].firstIndex(of: first) else { return false }
            if haystack[found..<(found + needle.count)].elementsEqual(needle) { return true }
            index = found + 1
        }
        return false
    }
}
