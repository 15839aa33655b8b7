import DriftCore
import KMSValidation
import TOML

/// Reads typed values out of one TOML table of the daemon's configuration and remembers
/// which keys it was asked for, so every key the operator wrote but kms-drift does not know
/// is reported with its line and column instead of silently ignored.
struct ConfigurationReader {
    let file: String
    let table: TOMLTable
    /// Dotted name of `table` for messages (`store`, `hooks[2]`); empty for the root.
    let name: String
    private(set) var knownKeys: [String] = []

    init(file: String, table: TOMLTable, name: String) {
        self.file = file
        self.table = table
        self.name = name
    }

    private func qualified(_ key: String) -> String { name.isEmpty ? key : "\(name).\(key)" }

    private func error(_ key: String, _ reason: DriftConfigurationError.Reason) -> DriftConfigurationError {
        let location = table.entry(forKey: key)?.valueLocation ?? table.location
        return DriftConfigurationError(
            file: file, line: location.line, column: location.column, reason: reason)
    }

    mutating func string(_ key: String) throws(DriftConfigurationError) -> String? {
        knownKeys.append(key)
        guard let value = table[key] else { return nil }
        guard case .string(let text) = value else {
            throw error(key, .wrongType(key: qualified(key), expected: "a string", found: value.typeName))
        }
        return text
    }

    mutating func integer(_ key: String, range: ClosedRange<Int64>) throws(DriftConfigurationError) -> Int64?
    {
        knownKeys.append(key)
        guard let value = table[key] else { return nil }
        guard case .integer(let number) = value else {
            throw error(key, .wrongType(key: qualified(key), expected: "an integer", found: value.typeName))
        }
        guard range.contains(number) else {
            throw error(
                key,
                .invalidValue(
                    key: qualified(key),
                    reason: "\(number) is outside \(range.lowerBound)…\(range.upperBound)"))
        }
        return number
    }

    mutating func boolean(_ key: String) throws(DriftConfigurationError) -> Bool? {
        knownKeys.append(key)
        guard let value = table[key] else { return nil }
        guard case .boolean(let flag) = value else {
            throw error(
                key, .wrongType(key: qualified(key), expected: "true or false", found: value.typeName))
        }
        return flag
    }

    mutating func strings(_ key: String) throws(DriftConfigurationError) -> [String]? {
        knownKeys.append(key)
        guard let value = table[key] else { return nil }
        guard case .array(let array) = value else {
            throw error(
                key, .wrongType(key: qualified(key), expected: "an array of strings", found: value.typeName))
        }
        var result: [String] = []
        for element in array.elements {
            guard case .string(let text) = element else {
                throw error(
                    key,
                    .wrongType(
                        key: qualified(key), expected: "an array of strings",
                        found: "an array with a \(element.typeName)"))
            }
            result.append(text)
        }
        return result
    }

    /// An array of patterns, each parsed where it is read: an invalid one is reported at its own
    /// line and column with the parser's reason.
    mutating func patterns<Pattern>(
        _ key: String, parse: (String) throws -> Pattern
    ) throws(DriftConfigurationError) -> [Pattern]? {
        guard let texts = try strings(key) else { return nil }
        guard case .array(let array) = table[key] else { return [] }
        var result: [Pattern] = []
        for (index, text) in texts.enumerated() {
            do {
                result.append(try parse(text))
            } catch {
                let location = array.locations[index]
                throw DriftConfigurationError(
                    file: file, line: location.line, column: location.column,
                    reason: .invalidValue(key: qualified(key), reason: "\(error)"))
            }
        }
        return result
    }

    /// A sub-table, read by its own reader; an absent table reads as empty.
    mutating func table(_ key: String) throws(DriftConfigurationError) -> ConfigurationReader {
        knownKeys.append(key)
        guard let value = table[key] else {
            return ConfigurationReader(
                file: file, table: TOMLTable(location: table.location, origin: .implicit),
                name: qualified(key))
        }
        guard case .table(let subtable) = value else {
            throw error(key, .wrongType(key: qualified(key), expected: "a table", found: value.typeName))
        }
        return ConfigurationReader(file: file, table: subtable, name: qualified(key))
    }

    /// The items of an array of tables (`[[hooks]]`), each with its own reader.
    mutating func tables(_ key: String) throws(DriftConfigurationError) -> [ConfigurationReader] {
        knownKeys.append(key)
        guard let value = table[key] else { return [] }
        guard case .array(let array) = value else {
            throw error(
                key,
                .wrongType(
                    key: qualified(key), expected: "an array of tables ([[\(qualified(key))]])",
                    found: value.typeName))
        }
        var readers: [ConfigurationReader] = []
        for (position, element) in array.elements.enumerated() {
            guard case .table(let item) = element else {
                throw error(
                    key,
                    .wrongType(
                        key: qualified(key), expected: "an array of tables",
                        found: "an array with a \(element.typeName)"))
            }
            readers.append(
                ConfigurationReader(file: file, table: item, name: "\(qualified(key))[\(position + 1)]"))
        }
        return readers
    }

    /// Fails on the first key that no accessor asked for, with a did-you-mean.
    func rejectUnknownKeys() throws(DriftConfigurationError) {
        for entry in table.entries where !knownKeys.contains(entry.key) {
            let suggestion = EditDistance.suggestion(for: entry.key, among: knownKeys)
            throw DriftConfigurationError(
                file: file, line: entry.keyLocation.line, column: entry.keyLocation.column,
                reason: .unknownKey(entry.key, table: name, suggestion: suggestion))
        }
    }

    func invalid(_ key: String, _ reason: String) -> DriftConfigurationError {
        error(key, .invalidValue(key: qualified(key), reason: reason))
    }
}
