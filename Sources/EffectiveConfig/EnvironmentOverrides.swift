import DriftCore
import KMSValidation
import TOML

/// kms-server's environment source (config-rs `Environment` with prefix `KMS_CORE`, separator
/// `__`, no `try_parsing`): each variable named `KMS_CORE__A__B` (any case) sets key `a.b` to its
/// value as a string, which serde then converts to the type kms-server's struct declares.
///
/// kms-drift performs that conversion here, with the schema table of `validate`, so the
/// effective configuration holds `my_id = 2`, not `my_id = "2"`; a value serde would refuse is
/// an error naming the variable. Lists and tables cannot come from the environment
/// (config-rs#443), so a variable naming one is an error too. A key with an array subscript
/// (`KMS_CORE__THRESHOLD__PEERS[1]__ADDRESS`) changes one element of a list the files define
/// (`IndexedEnvironmentOverride`).
package struct EnvironmentOverrides: Sendable {
    package static let prefix = "KMS_CORE"
    static let separator = "__"

    package let environment: EnvironmentVariables

    package init(environment: EnvironmentVariables) {
        self.environment = environment
    }

    /// The variables kms-server takes, with the key path each sets.
    package var variables: [(name: String, path: [String], value: String)] {
        get throws(EffectiveConfigError) {
            let pattern = (Self.prefix + Self.separator).lowercased()
            var result: [(String, [String], String)] = []
            for (name, value) in environment.pairs {
                let lowered = name.lowercased()
                guard lowered.hasPrefix(pattern) else { continue }
                let key = String(lowered.dropFirst(pattern.count))
                let path = Self.keyPath(key)
                guard !key.isEmpty, path.allSatisfy({ IndexedEnvironmentOverride.parse($0) != nil }) else {
                    throw .environmentName(
                        name: name,
                        reason:
                            "`\(key)` is not a key path kms-drift can follow (empty part, or a character other than "
                            + "letters, digits, `_`, `-` and an index such as `[1]`); rename or unset it")
                }
                result.append((name, path, value))
            }
            return result
        }
    }

    /// The variables whose key has an array subscript, applied after the files
    /// (`IndexedEnvironmentOverride`), in name order.
    var indexedOverrides: [IndexedEnvironmentOverride] {
        get throws(EffectiveConfigError) {
            try variables.filter { $0.path.contains { $0.contains("[") } }.sorted { $0.name < $1.name }.map {
                IndexedEnvironmentOverride(
                    name: $0.name, parts: $0.path.flatMap { IndexedEnvironmentOverride.parse($0) ?? [] },
                    value: $0.value)
            }
        }
    }

    /// The overrides as a layer, each value converted to its schema type. Variables with an array
    /// subscript are not in it: see `indexedOverrides`.
    package func layer() throws(EffectiveConfigError) -> (table: LayeredTable, notes: [String]) {
        var table = LayeredTable()
        var notes: [String] = []
        for (name, path, value) in try variables where !path.contains(where: { $0.contains("[") }) {
            let converted: TOMLValue
            switch SchemaLookup.type(at: path) {
            case .known(let type):
                converted = try Self.convert(value, to: type, name: name, path: path)
            case .unknown(let parent):
                converted = .string(value)
                notes.append(
                    "\(name) sets \(path.joined(separator: ".")), which is not a key of \(parent) in "
                        + "kms-server's schema; validate reports it")
            case .insideScalar(let scalarPath):
                throw .environmentValue(
                    name: name, keyPath: path.joined(separator: "."), value: value,
                    expected:
                        "a key under a table, but \(scalarPath) is a single value in kms-server's schema")
            }
            table.set(.scalar(converted, .environment(name: name)), at: path[...])
        }
        return (table, notes)
    }

    /// serde's conversion of an environment string into the key's Rust type, through config-rs
    /// (`ConfigRsConversion`, shared with `validate`).
    static func convert(_ text: String, to type: KMSSchema.RustType, name: String, path: [String])
        throws(EffectiveConfigError) -> TOMLValue
    {
        let value = TOMLValue.string(text)
        let keyPath = path.joined(separator: ".")
        func refuse(_ expected: String) -> EffectiveConfigError {
            .environmentValue(name: name, keyPath: keyPath, value: text, expected: expected)
        }
        switch type {
        case .string, .path, .url, .hexBytes, .address, .unitEnum:
            // Kept as the string serde receives; `validate` judges its syntax and variants.
            return value
        case .bool:
            guard let flag = ConfigRsConversion.bool(value) else {
                throw refuse("a boolean (true/false, yes/no, on/off, 1/0)")
            }
            return .boolean(flag)
        case .f64:
            guard let number = ConfigRsConversion.float(value) else { throw refuse("a number") }
            return .float(number)
        case .unsigned(let width):
            switch ConfigRsConversion.unsigned(value, as: width) {
            case .success(let number):
                guard let integer = Int64(exactly: number) else {
                    throw refuse("a whole number kms-drift can hold (at most \(Int64.max))")
                }
                return .integer(integer)
            case .failure(let failure):
                throw refuse("\(type.description): \(failure)")
            }
        case .structure, .enumeration, .vector:
            throw refuse(
                "\(type.description), which kms-server cannot take from the environment (config-rs reads "
                    + "variables as strings); set it in a layer file")
        }
    }

    /// config-rs replaces every `__` (left to right) with `.`, then splits the key at the dots.
    static func keyPath(_ key: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var iterator = key.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if character == "_" {
                let next = iterator.next()
                if next == "_" {
                    parts.append(current)
                    current = ""
                    continue
                }
                current.append(character)
                pending = next
                continue
            }
            if character == "." {
                parts.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        parts.append(current)
        return parts
    }

    static func isIdentifier(_ part: String) -> Bool {
        !part.isEmpty
            && part.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A)
                    || (byte >= 0x41 && byte <= 0x5A)
                    || byte == 0x5F || byte == 0x2D
            }
    }
}

/// Finds the Rust type of a key path of plain keys (what an environment variable can name).
enum SchemaLookup {
    enum Result {
        case known(KMSSchema.RustType)
        /// Not in the schema; `parent` names the table it would be in.
        case unknown(parent: String)
        /// The path continues below a key that is not a table (a scalar or a list).
        case insideScalar(String)
    }

    static func type(at path: [String]) -> Result {
        var table = KMSSchema.root
        for (offset, key) in path.enumerated() {
            let parentName = offset == 0 ? "the top level" : "[\(path[..<offset].joined(separator: "."))]"
            guard let entry = table.key(key) else { return .unknown(parent: parentName) }
            if offset == path.count - 1 { return .known(entry.type) }
            switch entry.type {
            case .structure(_, let next), .enumeration(_, let next):
                table = next
            default:
                return .insideScalar(path[...offset].joined(separator: "."))
            }
        }
        return .known(.structure("CoreConfig", table))
    }
}
