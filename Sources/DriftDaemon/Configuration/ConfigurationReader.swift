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

    private func error(_ key: String, _ reason: DaemonConfigurationError.Reason) -> DaemonConfigurationError {
        let location = table.entry(forKey: key)?.valueLocation ?? table.location
        return DaemonConfigurationError(
            file: file, line: location.line, column: location.column, reason: reason)
    }

    mutating func string(_ key: String) throws(DaemonConfigurationError) -> String? {
        knownKeys.append(key)
        guard let value = table[key] else { return nil }
        guard case .string(let text) = value else {
            throw error(key, .wrongType(key: qualified(key), expected: "a string", found: value.typeName))
        }
        return text
    }

    mutating func integer(_ key: String, range: ClosedRange<Int64>) throws(DaemonConfigurationError) -> Int64?
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

    mutating func boolean(_ key: String) throws(DaemonConfigurationError) -> Bool? {
        knownKeys.append(key)
        guard let value = table[key] else { return nil }
        guard case .boolean(let flag) = value else {
            throw error(
                key, .wrongType(key: qualified(key), expected: "true or false", found: value.typeName))
        }
        return flag
    }

    mutating func strings(_ key: String) throws(DaemonConfigurationError) -> [String]? {
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

    /// A sub-table, read by its own reader; an absent table reads as empty.
    mutating func table(_ key: String) throws(DaemonConfigurationError) -> ConfigurationReader {
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
    mutating func tables(_ key: String) throws(DaemonConfigurationError) -> [ConfigurationReader] {
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
    func rejectUnknownKeys() throws(DaemonConfigurationError) {
        for entry in table.entries where !knownKeys.contains(entry.key) {
            let suggestion = knownKeys.min { editDistance($0, entry.key) < editDistance($1, entry.key) }
                .flatMap { editDistance($0, entry.key) <= max(2, entry.key.count / 3) ? $0 : nil }
            throw DaemonConfigurationError(
                file: file, line: entry.keyLocation.line, column: entry.keyLocation.column,
                reason: .unknownKey(entry.key, table: name, suggestion: suggestion))
        }
    }

    func invalid(_ key: String, _ reason: String) -> DaemonConfigurationError {
        error(key, .invalidValue(key: qualified(key), reason: reason))
    }
}

/// Levenshtein distance, for did-you-mean suggestions on short key names.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
