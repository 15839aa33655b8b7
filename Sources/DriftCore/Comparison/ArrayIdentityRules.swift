import TOML

/// The one table that says how items of an array of tables are matched between two files.
///
/// Matching by identity (`party_id`, `name`, `id`) instead of position means that
/// reordering peers is not drift and removing party 3 is one change, not twelve.
package struct ArrayIdentityRules: Sendable {
    package struct Rule: Sendable {
        package let pattern: KeyPathPattern
        package let identityKey: String
    }

    /// Explicit rules, tried first.
    package let rules: [Rule]
    /// Keys tried in order for any other array of tables.
    package let candidateKeys: [String]

    package init(rules: [Rule], candidateKeys: [String]) {
        self.rules = rules
        self.candidateKeys = candidateKeys
    }

    /// kms-server: peers by `party_id`; anything else by the first of `party_id`, `name`, `id`
    /// that every item has, with unique values.
    package static let kms = ArrayIdentityRules(
        rules: [
            Rule(pattern: builtIn("threshold.peers"), identityKey: "party_id"),
            Rule(pattern: builtIn("cores"), identityKey: "party_id"),
        ],
        candidateKeys: ["party_id", "name", "id"])

    /// The identity key for the array at `path` whose items are `items`, or `nil` to match by
    /// position. A key qualifies only if every item on both sides has a scalar value for it
    /// and the values are unique within each side.
    package func identityKey(for path: KeyPath, reference: [TOMLTable], current: [TOMLTable]) -> String? {
        let explicit = rules.first { rule in
            rule.pattern.parts.count == path.segments.count && rule.pattern.matches(path)
        }
        let candidates = explicit.map { [$0.identityKey] } ?? candidateKeys
        return candidates.first { key in
            Self.isUniqueIdentity(key, in: reference) && Self.isUniqueIdentity(key, in: current)
        }
    }

    /// The text used in a key path for an item's identity (`3`, `"node-a"`).
    package static func identityText(of value: TOMLValue) -> String? {
        switch value {
        case .integer(let number): return String(number)
        case .string(let text): return text
        case .boolean(let flag): return String(flag)
        default: return nil
        }
    }

    private static func isUniqueIdentity(_ key: String, in items: [TOMLTable]) -> Bool {
        var texts: [String] = []
        texts.reserveCapacity(items.count)
        for item in items {
            guard let value = item[key], let text = identityText(of: value) else { return false }
            texts.append(value.typeName + ":" + text)
        }
        if texts.count <= 16 {
            // Small arrays (peers: 4 to 13 items) are checked without hashing.
            for i in texts.indices {
                for j in texts.indices where j > i && texts[i] == texts[j] { return false }
            }
            return true
        }
        return Set(texts).count == texts.count
    }

    private static func builtIn(_ text: String) -> KeyPathPattern {
        guard let pattern = try? KeyPathPattern(text) else {
            preconditionFailure("invalid built-in identity pattern \(text)")
        }
        return pattern
    }
}
