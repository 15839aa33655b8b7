import TOML

/// Checks a kms-server config against `KMSSchema`: unknown keys (with did-you-mean), missing
/// required keys, types, ranges, enum values, and the one-variant rule of enum tables.
/// Everything it knows comes from the schema table; it holds no key names of its own.
public struct SchemaValidator: Sendable {
    public let file: String

    public init(file: String) {
        self.file = file
    }

    /// All schema findings for the root table of a kms-server config.
    public func findings(in root: TOMLTable) -> [Finding] {
        var findings: [Finding] = []
        check(root, against: KMSSchema.root, at: .root, into: &findings)
        return findings
    }

    private func check(
        _ table: TOMLTable, against schema: KMSSchema.Table, at path: KeyPath, into findings: inout [Finding]
    ) {
        var variantCount = 0
        for entry in table.entries {
            let keyPath = path.appending(key: entry.key)
            if let key = schema.key(entry.key) {
                if schema.variants != .none { variantCount += 1 }
                check(entry.value, as: key.type, entry: entry, at: keyPath, into: &findings)
                continue
            }
            findings.append(unknownKey(entry, in: schema, at: path, keyPath: keyPath))
            // `File = {…}`: report the wrong case once, then check the contents as the variant it means.
            if let meant = schema.key(entry.key.lowercased()), case .table = meant.type {
                if schema.variants != .none { variantCount += 1 }
                check(entry.value, as: meant.type, entry: entry, at: keyPath, into: &findings)
            }
        }
        for key in schema.keys where key.required && table[key.name] == nil {
            findings.append(
                Finding(
                    .error, path: path.appending(key: key.name), file: file, location: table.location,
                    message:
                        "missing required key `\(key.name)` in \(Self.tableName(path)); kms-server refuses to start",
                    fix: "add `\(key.name)` (\(key.type.description)) to \(Self.tableName(path))"))
        }
        let names = schema.keys.map { "`\($0.name)`" }.joined(separator: ", ")
        switch schema.variants {
        case .exactlyOne where variantCount == 0:
            findings.append(
                Finding(
                    .error, path: path, file: file, location: table.location,
                    message: "\(Self.tableName(path)) names no variant; kms-server needs exactly one",
                    fix: "add exactly one of \(names)"))
        case .exactlyOne where variantCount > 1, .atMostOne where variantCount > 1:
            findings.append(
                Finding(
                    .error, path: path, file: file, location: table.location,
                    message:
                        "\(Self.tableName(path)) names \(variantCount) variants; kms-server accepts only one",
                    fix: "keep one of \(names) and remove the others"))
        default:
            break
        }
    }

    private func unknownKey(
        _ entry: TOMLTable.Entry, in schema: KMSSchema.Table, at path: KeyPath, keyPath: KeyPath
    ) -> Finding {
        let tableKeys = path.keyNames
        let known = schema.keys.map(\.name)
        let fix: String
        if let guide = GuideNameHints.fix(forUnknownKey: entry.key, in: tableKeys) {
            fix = guide
        } else if let near = EditDistance.suggestion(for: entry.key, among: known) {
            fix = "did you mean `\(near)`?"
        } else if known.isEmpty {
            fix = "remove it: \(Self.tableName(path)) takes no keys"
        } else {
            fix =
                "remove it; \(Self.tableName(path)) accepts "
                + known.map { "`\($0)`" }.joined(separator: ", ")
        }
        switch schema.unknownKeys {
        case .deny:
            return Finding(
                .error, path: keyPath, file: file, location: entry.keyLocation,
                message:
                    "unknown key `\(entry.key)` in \(Self.tableName(path)); kms-server refuses to start on it",
                fix: fix)
        case .ignore:
            return Finding(
                .warning, path: keyPath, file: file, location: entry.keyLocation,
                message:
                    "unknown key `\(entry.key)` in \(Self.tableName(path)) is silently ignored by kms-server",
                fix: fix)
        }
    }

    private func check(
        _ value: TOMLValue, as type: KMSSchema.ValueType, entry: TOMLTable.Entry, at path: KeyPath,
        into findings: inout [Finding]
    ) {
        check(value, as: type, location: entry.valueLocation, at: path, into: &findings)
    }

    private func check(
        _ value: TOMLValue, as type: KMSSchema.ValueType, location: SourceLocation, at path: KeyPath,
        into findings: inout [Finding]
    ) {
        let key = path.lastKey ?? ""
        func report(_ message: String, _ fix: String, level: Finding.Level = .error) {
            findings.append(
                Finding(level, path: path, file: file, location: location, message: message, fix: fix))
        }
        switch (type, value) {
        case (.string(let minLength, let allowed), .string(let text)):
            if text.unicodeScalars.count < minLength {
                report("`\(key)` is empty; kms-server rejects it", "give `\(key)` a value or remove it")
            } else if let allowed, !allowed.contains(text) {
                let near =
                    allowed.first { $0.lowercased() == text.lowercased() }
                    ?? EditDistance.suggestion(for: text, among: allowed)
                report(
                    "`\(key)` = \"\(text)\" is not a value kms-server knows",
                    near.map { "did you mean \"\($0)\"? (values are case-sensitive)" }
                        ?? "use \(type.description)")
            }
        case (.integer(let range), .integer(let number)):
            if !range.contains(number) {
                report(
                    "`\(key)` = \(number) is out of range: kms-server wants \(type.description)",
                    "set `\(key)` to \(type.description)")
            }
        case (.integer, .string(let text)) where Int64(text) != nil:
            report(
                "`\(key)` is the string \"\(text)\"; kms-server converts it, but a typo would stop start-up",
                "write it as an integer: `\(key) = \(text)`", level: .warning)
        case (.float, .float), (.float, .integer), (.bool, .boolean):
            break
        case (.url, .string(let text)):
            if !text.contains("://") {
                report(
                    "`\(key)` = \"\(text)\" is not a URL; kms-server fails to parse it",
                    "write a URL such as \"https://host:port\"")
            }
        case (.table(let schema), .table(let table)):
            check(table, against: schema, at: path, into: &findings)
        case (.arrayOfTables(let schema), .array(let array)):
            for position in 0..<array.count {
                guard case .table(let item) = array[position] else {
                    report(
                        "`\(key)` must be \(type.description)",
                        "write each item as a [[\(path.description)]] table")
                    continue
                }
                let itemPath: KeyPath
                if case .integer(let id)? = item["party_id"] {
                    itemPath = path.appending(.identity(key: "party_id", value: String(id)))
                } else {
                    itemPath = path.appending(.position(position))
                }
                check(item, against: schema, at: itemPath, into: &findings)
            }
        case (.stringArray, .array(let array)):
            for position in 0..<array.count where array[position].stringValue == nil {
                check(
                    array[position], as: .string(), location: array.locations[position],
                    at: path.appending(.position(position)), into: &findings)
            }
        case (.table, .string(let text)):
            report(
                "`\(key)` must be a table, not a string",
                GuideNameHints.fix(forStringAt: key, value: text) ?? "write [\(path.description)] as a table")
        default:
            report(
                "`\(key)` must be \(type.description), not \(Self.article(value.typeName))",
                "write `\(key)` as \(type.description)")
        }
    }

    /// `[service]`, `[threshold.peers[party_id=3]]`, or "the top level".
    static func tableName(_ path: KeyPath) -> String {
        path.isRoot ? "the top level" : "[\(path.description)]"
    }

    static func article(_ typeName: String) -> String {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        return (typeName.first.map(vowels.contains) ?? false ? "an " : "a ") + typeName
    }
}
