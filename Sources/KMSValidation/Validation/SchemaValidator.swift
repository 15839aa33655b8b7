import DriftCore
import TOML

/// Checks a kms-server config against `KMSSchema` the way kms-server reads it: config-rs's
/// conversions first (`ConfigRsConversion`), then the Rust type (integer width, enum variant,
/// URL, hex, address), then the `#[validate]` attributes that run. Unknown keys, missing keys
/// and enum tables with other than one variant are refused when parsed. Everything it knows
/// comes from the schema table; it holds no key names of its own.
package struct SchemaValidator: Sendable {
    package let file: String

    package init(file: String) {
        self.file = file
    }

    /// All schema findings for the root table of a kms-server config.
    package func findings(in root: TOMLTable) -> [Finding] {
        var findings: [Finding] = []
        check(root, against: KMSSchema.root, at: .root, into: &findings)
        return findings
    }

    // MARK: Tables

    private func check(
        _ table: TOMLTable, against schema: KMSSchema.Table, at path: KeyPath, into findings: inout [Finding]
    ) {
        var variantCount = 0
        for entry in table.entries {
            let keyPath = path.appending(key: entry.key)
            if let key = schema.key(entry.key) {
                variantCount += 1
                check(entry.value, as: key, location: entry.valueLocation, at: keyPath, into: &findings)
                continue
            }
            findings.append(unknownKey(entry, in: schema, at: path, keyPath: keyPath))
            // `File = {…}`: report the wrong case once, then check the contents as the variant it means.
            if let meant = schema.key(entry.key.lowercased()), meant.type.table != nil {
                variantCount += 1
                check(entry.value, as: meant, location: entry.valueLocation, at: keyPath, into: &findings)
            }
        }
        for key in schema.keys where key.required && table[key.name] == nil {
            findings.append(
                .refused(
                    .parsing, path: path.appending(key: key.name), file: file, location: table.location,
                    "missing required key `\(key.name)` in \(Self.tableName(path))",
                    fix: "add `\(key.name)` to \(Self.tableName(path)): \(Self.wanted(key))"))
        }
        guard schema.isEnum, variantCount != 1 else { return }
        let names = schema.keys.map { "`\($0.name)`" }.joined(separator: ", ")
        // config-rs reads an enum from a table with exactly one key (de.rs, `table_deserializer`).
        findings.append(
            .refused(
                .parsing, path: path, file: file, location: table.location,
                variantCount == 0
                    ? "\(Self.tableName(path)) names no variant; \(schema.name) needs exactly one"
                    : "\(Self.tableName(path)) names \(variantCount) variants; \(schema.name) takes exactly one",
                fix: variantCount == 0
                    ? "add exactly one of \(names)" : "keep one of \(names) and remove the others"))
    }

    private func unknownKey(
        _ entry: TOMLTable.Entry, in schema: KMSSchema.Table, at path: KeyPath, keyPath: KeyPath
    ) -> Finding {
        let known = schema.keys.map(\.name)
        let fix: String
        if let guide = GuideNameHints.fix(forUnknownKey: entry.key, in: path.keyNames) {
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
        if schema.isEnum {
            return .refused(
                .parsing, path: keyPath, file: file, location: entry.keyLocation,
                "`\(entry.key)` is not a variant of \(schema.name) in \(Self.tableName(path))", fix: fix)
        }
        switch schema.unknownKeys {
        case .deny:
            return .refused(
                .parsing, path: keyPath, file: file, location: entry.keyLocation,
                "unknown key `\(entry.key)` in \(Self.tableName(path)) (\(schema.name) denies unknown fields)",
                fix: fix)
        case .ignore:
            return Finding(
                .warning, path: keyPath, file: file, location: entry.keyLocation,
                message:
                    "unknown key `\(entry.key)` in \(Self.tableName(path)) is silently ignored by kms-server",
                fix: fix)
        }
    }

    // MARK: Values

    private func check(
        _ value: TOMLValue, as key: KMSSchema.Key, location: SourceLocation, at path: KeyPath,
        into findings: inout [Finding]
    ) {
        switch key.type {
        case .structure(_, let table), .enumeration(_, let table):
            guard case .table(let child) = value else {
                let fix =
                    value.stringValue.flatMap { GuideNameHints.fix(forStringAt: key.name, value: $0) }
                    ?? "write [\(path.description)] as a table"
                findings.append(
                    .refused(
                        .parsing, path: path, file: file, location: location,
                        "`\(key.name)` must be a table, not \(Self.article(value.typeName))", fix: fix))
                return
            }
            check(child, against: table, at: path, into: &findings)
        case .vector(let element):
            guard case .array(let array) = value else {
                findings.append(
                    .refused(
                        .parsing, path: path, file: file, location: location,
                        "`\(key.name)` must be \(key.type.description), not \(Self.article(value.typeName))",
                        fix: "write `\(key.name)` as \(key.type.description)"))
                return
            }
            for position in 0..<array.count {
                let item = array[position]
                let itemKey = KMSSchema.Key(key.name, element, source: key.source)
                if case .structure = element, case .table(let table) = item {
                    check(
                        item, as: itemKey, location: array.locations[position],
                        at: Self.itemPath(path, table, position),
                        into: &findings)
                } else {
                    check(
                        item, as: itemKey, location: array.locations[position],
                        at: path.appending(.position(position)),
                        into: &findings)
                }
            }
        default:
            if let finding = checkScalar(value, as: key, location: location, at: path) {
                findings.append(finding)
            }
        }
    }

    /// `peers[party_id=3]` when the item has a party id config-rs can read, else `peers[2]`.
    static func itemPath(_ path: KeyPath, _ item: TOMLTable, _ position: Int) -> KeyPath {
        if let id = item["party_id"], case .success(let number) = ConfigRsConversion.unsigned(id, as: .usize)
        {
            return path.appending(.identity(key: "party_id", value: String(number)))
        }
        return path.appending(.position(position))
    }

    /// One scalar: convert as config-rs does, then the type's own format, then the attribute.
    private func checkScalar(
        _ value: TOMLValue, as key: KMSSchema.Key, location: SourceLocation, at path: KeyPath
    ) -> Finding? {
        let name = key.name
        func refused(_ stage: RefusalStage, _ what: String, fix: String) -> Finding {
            .refused(stage, path: path, file: file, location: location, what, fix: fix)
        }
        func warning(_ message: String, fix: String) -> Finding {
            Finding(.warning, path: path, file: file, location: location, message: message, fix: fix)
        }
        let written = Self.written(value)
        switch key.type {
        case .bool:
            guard ConfigRsConversion.bool(value) != nil else {
                return refused(
                    .parsing, "`\(name)` = \(written) is not a boolean config-rs can read",
                    fix:
                        "write true or false (config-rs also reads \"yes\"/\"no\", \"on\"/\"off\", \"1\"/\"0\")"
                )
            }
        case .unsigned(let width):
            switch ConfigRsConversion.unsigned(value, as: width) {
            case .failure(.outOfRange):
                return refused(
                    .parsing, "`\(name)` = \(written) does not fit kms-server's \(width.description)",
                    fix: "set `\(name)` to \(Self.wanted(key))")
            case .failure:
                return refused(
                    .parsing, "`\(name)` = \(written) cannot be read as an integer",
                    fix: "set `\(name)` to \(Self.wanted(key))")
            case .success(let number):
                if case .range(let min, let max) = key.validator, number < min || number > (max ?? .max),
                    let attribute = key.validator?.attribute
                {
                    let what = "`\(name)` = \(Self.shown(value, number)) is outside \(attribute)"
                    let fix = "set `\(name)` to \(Self.wanted(key))"
                    // Every range attribute of kms-server's schema sits in a struct validate() reaches.
                    return key.validationRuns
                        ? refused(.validation, what, fix: fix)
                        : warning(what + ", which never runs", fix: fix)
                }
                if ConfigRsConversion.roundsAway(value) {
                    return warning(
                        "`\(name)` = \(written) is not a whole number; config-rs reads it as \(number)",
                        fix: "write the integer you mean: `\(name) = \(number)`")
                }
            }
        case .f64:
            guard ConfigRsConversion.float(value) != nil else {
                return refused(
                    .parsing, "`\(name)` = \(written) cannot be read as a number",
                    fix: "write a number such as 2.0")
            }
        case .string, .path:
            guard let text = ConfigRsConversion.string(value) else {
                return refused(
                    .parsing, "`\(name)` must be a string, not \(Self.article(value.typeName))",
                    fix: "write `\(name)` as a string")
            }
            if case .length(let min) = key.validator, text.unicodeScalars.count < min {
                if key.validationRuns {
                    return refused(
                        .validation, "`\(name)` is empty (length(min = \(min)))",
                        fix: "give `\(name)` a value or remove it")
                }
                return warning(
                    "`\(name)` is empty and its length(min = \(min)) never runs (\(Self.tableName(KeyPath(Array(path.segments.dropLast())))) is not "
                        + "nested-validated): " + (key.consequence ?? "kms-server uses the empty value"),
                    fix: "give `\(name)` a value")
            }
            if text.isEmpty, let consequence = key.consequence {
                return warning(
                    "`\(name)` is empty; kms-server does not check it: \(consequence)",
                    fix: "give `\(name)` a value")
            }
        case .url:
            guard let text = ConfigRsConversion.string(value) else {
                return refused(
                    .parsing, "`\(name)` must be a URL string, not \(Self.article(value.typeName))",
                    fix: "write a URL such as \"https://host:port\"")
            }
            switch URLSyntax.parse(text) {
            case .failure(let failure):
                return refused(
                    .parsing, "`\(name)` = \"\(text)\" is not a URL: \(failure.reason)",
                    fix: "write a URL such as \"http://host:port\"")
            case .success(let url) where url.scheme != "http" && url.scheme != "https":
                return warning(
                    "`\(name)` = \"\(text)\" parses as a URL with scheme `\(url.scheme)`"
                        + (url.host == nil ? " and no host" : "")
                        + "; the AWS SDK will not reach the endpoint meant",
                    fix: "write the scheme: \"http://\(text)\" or \"https://\(text)\"")
            case .success:
                break
            }
        case .hexBytes:
            guard let text = ConfigRsConversion.string(value) else {
                return refused(
                    .parsing, "`\(name)` must be a hex string, not \(Self.article(value.typeName))",
                    fix: "write `\(name)` as hex digits in quotes")
            }
            guard let bytes = HexSyntax.bytes(text) else {
                return refused(
                    .parsing,
                    "`\(name)` = \"\(Self.abbreviated(text))\" is not hex::serde hex (an even number of hex digits, no 0x)",
                    fix: text.hasPrefix("0x") ? "remove the 0x" : "write the measurement as 96 hex digits")
            }
            if bytes.count != KMSSchema.pcrBytes, let consequence = key.consequence {
                return warning(
                    "`\(name)` holds \(bytes.count) bytes; \(consequence)",
                    fix: "write the enclave's 96-hex-digit \(name)")
            }
        case .address:
            if let text = value.stringValue, HexSyntax.isAddress(text) { return nil }
            if case .array(let array) = value, array.count == 20,
                array.elements.allSatisfy({
                    if case .success = ConfigRsConversion.unsigned($0, as: .u8) { true } else { false }
                })
            {
                return nil
            }
            return refused(
                .parsing,
                "`\(name)` = \(Self.abbreviated(written)) is not a 20-byte address (40 hex digits, 0x optional)",
                fix: "write the party's Ethereum address, e.g. \"0x\" followed by 40 hex digits")
        case .unitEnum(let typeName, let variants):
            if case .string(let text) = value, variants.contains(text) { return nil }
            // A table with one variant key is also read as the variant (config-rs de.rs).
            if case .table(let table) = value, table.entries.count == 1, let only = table.entries.first,
                variants.contains(only.key)
            {
                return nil
            }
            let text = value.stringValue ?? written
            let near =
                variants.first { $0.lowercased() == text.lowercased() }
                ?? EditDistance.suggestion(for: text, among: variants)
            return refused(
                .parsing, "`\(name)` = \(written) is not a \(typeName)",
                fix: near.map { "did you mean \"\($0)\"? (values are case-sensitive)" }
                    ?? "use \(key.type.description)")
        case .structure, .enumeration, .vector:
            break
        }
        return nil
    }

    // MARK: Wording

    /// What to write: "an integer in 1...65535", "an integer ≥ 1 (u64)", "a boolean".
    static func wanted(_ key: KMSSchema.Key) -> String {
        guard case .unsigned(let width) = key.type, case .range(let min, let max) = key.validator else {
            return key.type.description
        }
        if let max { return "an integer in \(min)...\(max)" }
        if width.maximum == .max { return "an integer ≥ \(min) (\(width.rawValue))" }
        return "an integer in \(min)...\(width.maximum) (\(width.rawValue))"
    }

    /// A value as the file wrote it: `"70000"`, `2.5`, `true`, `a table`.
    static func written(_ value: TOMLValue) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        case .integer(let number): return String(number)
        case .float(let number): return ConfigRsConversion.rustDisplay(number)
        case .boolean(let flag): return String(flag)
        case .dateTime(let moment): return moment.description
        case .array: return "an array"
        case .table: return "a table"
        }
    }

    /// `"0"` (read as 0) for a converted value, the number alone for an integer.
    static func shown(_ value: TOMLValue, _ number: UInt64) -> String {
        if case .integer = value { return String(number) }
        return "\(written(value)) (read as \(number))"
    }

    static func abbreviated(_ text: String) -> String {
        text.count > 24 ? String(text.prefix(20)) + "…" : text
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
