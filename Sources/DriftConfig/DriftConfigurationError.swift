/// A problem in the daemon's own configuration file, located for the operator.
package struct DriftConfigurationError: Error, CustomStringConvertible, Sendable {
    package enum Reason: Sendable, Equatable {
        /// The file could not be read (errno meaning) or is not valid TOML (full message).
        case unreadable(String)
        case invalidTOML(String)
        case unknownKey(String, table: String, suggestion: String?)
        case wrongType(key: String, expected: String, found: String)
        case missingKey(String)
        case invalidValue(key: String, reason: String)
    }

    package let file: String
    package let line: Int
    package let column: Int
    package let reason: Reason

    package init(file: String, line: Int = 0, column: Int = 0, reason: Reason) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    package var description: String {
        let place = line > 0 ? "\(file):\(line):\(column): " : "\(file): "
        switch reason {
        case .unreadable(let message):
            return "cannot read the kms-drift configuration \(file): \(message)"
        case .invalidTOML(let message):
            return message
        case .unknownKey(let key, let table, let suggestion):
            let hint = suggestion.map { " (did you mean `\($0)`?)" } ?? ""
            let location = table.isEmpty ? "at the top level" : "in [\(table)]"
            return place + "unknown key `\(key)` \(location)\(hint)"
        case .wrongType(let key, let expected, let found):
            return place + "`\(key)` must be \(expected), found \(found)"
        case .missingKey(let key):
            return place + "missing key `\(key)`"
        case .invalidValue(let key, let reason):
            return place + "invalid `\(key)`: \(reason)"
        }
    }
}
