/// The vocabulary of the schema table (`KMSSchema.swift`): Rust types, `#[validate]`
/// attributes, where each key is declared, and the stages at which kms-server refuses a value.
extension KMSSchema {
    /// A Rust type of kms-server's configuration, as serde reads it through config-rs.
    package indirect enum RustType: Sendable {
        case bool
        /// `u8`, `u16`, `u32`, `u64`, `usize`: `into_uint`, then the width.
        case unsigned(ConfigRsConversion.UnsignedWidth)
        case f64
        /// `String`: `into_string` (numbers and booleans are converted).
        case string
        /// `PathBuf`: read like a string; kms-server never checks it is non-empty.
        case path
        /// `url::Url`: a string given to `Url::parse` (WHATWG rules).
        case url
        /// `Vec<u8>` with `#[serde(with = "hex::serde")]`: even-length hex, no `0x`.
        case hexBytes
        /// `alloy_primitives::Address`: 20 bytes as 40 hex digits (`0x` optional).
        case address
        /// A Rust enum of unit variants written as a string (`DecryptionMode`, `AwsKmsKeySpec`).
        case unitEnum(String, variants: [String])
        /// A Rust struct written as a table.
        case structure(String, Table)
        /// A Rust enum written as a table whose only key names the variant (`Storage`, `TlsConf`).
        case enumeration(String, Table)
        /// `Vec<T>`: a TOML array (of tables for `[[…]]`).
        case vector(RustType)

        /// The Rust spelling: `u16`, `PathBuf`, `Vec<PeerConf>`.
        package var name: String {
            switch self {
            case .bool: return "bool"
            case .unsigned(let width): return width.rawValue
            case .f64: return "f64"
            case .string: return "String"
            case .path: return "PathBuf"
            case .url: return "Url"
            case .hexBytes: return "Vec<u8>"
            case .address: return "Address"
            case .unitEnum(let name, _), .structure(let name, _), .enumeration(let name, _): return name
            case .vector(let element): return "Vec<\(element.name)>"
            }
        }

        /// What a person calls it in a message: "an integer (u16, 0...65535)".
        package var description: String {
            switch self {
            case .bool: return "a boolean"
            case .unsigned(let width) where width.maximum == .max:
                return "a non-negative integer (\(width.rawValue))"
            case .unsigned(let width): return "an integer in 0...\(width.maximum) (\(width.rawValue))"
            case .f64: return "a number"
            case .string: return "a string"
            case .path: return "a path string"
            case .url: return "a URL string"
            case .hexBytes: return "a hex string"
            case .address: return "a 20-byte hex address"
            case .unitEnum(_, let variants):
                return "one of " + variants.map { "\"\($0)\"" }.joined(separator: ", ")
            case .structure, .enumeration: return "a table"
            case .vector(.structure): return "an array of tables ([[…]])"
            case .vector(let element): return "an array of \(element.description)s"
            }
        }

        /// The table of a struct or enum, if the type is one.
        package var table: Table? {
            switch self {
            case .structure(_, let table), .enumeration(_, let table): return table
            case .vector(let element): return element.table
            default: return nil
            }
        }
    }

    /// A `#[validate(…)]` attribute on a field. It only runs when `validate()` reaches the
    /// field's struct (`Key.validationRuns`).
    package enum ValidatorRule: Sendable, Equatable {
        /// `range(min = …, max = …)` on the integer.
        case range(min: UInt64, max: UInt64?)
        /// `length(min = …)` on the string, in Unicode scalars.
        case length(min: Int)

        /// The attribute as the Rust source writes it.
        package var attribute: String {
            switch self {
            case .range(let min, let max?): return "range(min = \(min), max = \(max))"
            case .range(let min, nil): return "range(min = \(min))"
            case .length(let min): return "length(min = \(min))"
            }
        }
    }

    /// Where a key is declared in kms-server's source.
    package enum RustSource: Sendable, Equatable {
        /// A line of a file in `shared/research/kms-source/` (zama-ai/kms 30b425c6).
        case line(file: String, line: Int)
        /// A struct kept outside the research excerpts; the text names it.
        case upstream(String)

        package var description: String {
            switch self {
            case .line(let file, let line): return "\(file):\(line)"
            case .upstream(let text): return text
            }
        }
    }

    /// One key of a table: its Rust type, attribute and declaration, and what kms-server does
    /// with a bad value of it.
    package struct Key: Sendable {
        package let name: String
        package let type: RustType
        /// Not `Option<…>` and no `#[serde(default)]`: a missing key is refused when parsed.
        package let required: Bool
        /// The field's `#[validate(range|length)]` attribute, if it has one.
        package let validator: ValidatorRule?
        /// What fails at start-up for a bad value that parsing and validation let through.
        package let startUp: String?
        /// What happens with a bad value kms-server never refuses (an empty string no attribute
        /// checks, a PCR of the wrong length): the words of the warning.
        package let consequence: String?
        package let source: RustSource
        /// True when `validate()` reaches this field and it has an attribute: every struct above
        /// it is reached through `#[validate(nested)]`. Set by the table that holds the key.
        package private(set) var validationRuns = false

        package init(
            _ name: String, _ type: RustType, required: Bool = false, validator: ValidatorRule? = nil,
            startUp: String? = nil, consequence: String? = nil, source: RustSource
        ) {
            self.name = name
            self.type = type
            self.required = required
            self.validator = validator
            self.startUp = startUp
            self.consequence = consequence
            self.source = source
        }

        /// The stages at which kms-server refuses some bad value of this key, in the order it
        /// meets them: always parsing (a value of the wrong type), then validation when the
        /// attribute runs, then start-up when something is built from the value.
        package var refusedAt: [RefusalStage] {
            var stages: [RefusalStage] = [.parsing]
            if validationRuns { stages.append(.validation) }
            if let startUp { stages.append(.startUp(startUp)) }
            return stages
        }

        fileprivate func reached(_ validated: Bool) -> Key {
            var copy = self
            copy.validationRuns = validated && validator != nil
            return copy
        }
    }

    /// What kms-server does with a key its struct does not declare.
    package enum UnknownKeys: Sendable {
        /// `#[serde(deny_unknown_fields)]`: refused when parsed.
        case deny
        /// No `deny_unknown_fields`: the key is silently dropped.
        case ignore
    }

    /// A struct, or an enum written as a table, of the schema.
    package struct Table: Sendable {
        /// The Rust type's name (`ServiceEndpoint`, `TlsConf::Manual`).
        package let name: String
        package let keys: [Key]
        package let unknownKeys: UnknownKeys
        /// True for an enum: the table must hold exactly one key, naming the variant.
        package let isEnum: Bool
        /// True when `validate()` reaches this struct (through `#[validate(nested)]` from
        /// `CoreConfig`), so its fields' attributes run.
        package let validated: Bool

        package init(
            _ name: String, _ keys: [Key], unknownKeys: UnknownKeys = .deny, isEnum: Bool = false,
            validated: Bool
        ) {
            self.name = name
            self.keys = keys.map { $0.reached(validated) }
            self.unknownKeys = unknownKeys
            self.isEnum = isEnum
            self.validated = validated
        }

        package func key(_ name: String) -> Key? { keys.first { $0.name == name } }
    }

    /// The key at a path of table keys (`["threshold", "my_id"]`), through structs, enums and
    /// arrays of tables; nil when kms-server's schema has no such key. The effective
    /// configuration uses it to learn which Rust type an environment value is converted to.
    package static func key(at path: [String]) -> Key? {
        var table = root
        var found: Key?
        for (position, name) in path.enumerated() {
            guard let key = table.key(name) else { return nil }
            found = key
            if position < path.count - 1 {
                guard let next = key.type.table else { return nil }
                table = next
            }
        }
        return found
    }

    /// Every key of the schema with its path, depth first in declaration order.
    package static func allKeys() -> [(path: [String], key: Key)] {
        var result: [(path: [String], key: Key)] = []
        func walk(_ table: Table, _ prefix: [String]) {
            for key in table.keys {
                result.append((prefix + [key.name], key))
                if let child = key.type.table { walk(child, prefix + [key.name]) }
            }
        }
        walk(root, [])
        return result
    }
}
