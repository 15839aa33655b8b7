/// Where a JSON value starts: a 1-based line, and a 1-based column counted in bytes.
package struct JSONPosition: Sendable, Equatable, CustomStringConvertible {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    package var description: String { "\(line):\(column)" }
}

/// A JSON document as ``JSONReader`` reads it: every value with the position it starts at, so a
/// caller can say where a wrong value is; numbers already told apart as serde_json tells them
/// (an integer that fits `Int64`, or a float).
package indirect enum JSONValue: Sendable, Equatable {
    case object(JSONObject)
    case array([JSONValue], JSONPosition)
    case string(String, JSONPosition)
    /// A number without fraction or exponent that fits `Int64`.
    case integer(Int64, JSONPosition)
    /// Any other number (a fraction, an exponent, or too large for `Int64`).
    case float(Double, JSONPosition)
    case boolean(Bool, JSONPosition)
    case null(JSONPosition)

    /// Where the value starts in the document.
    package var position: JSONPosition {
        switch self {
        case .object(let object): return object.position
        case .array(_, let position), .string(_, let position), .integer(_, let position),
            .float(_, let position), .boolean(_, let position), .null(let position):
            return position
        }
    }

    /// What the value is, in a word for error messages ("an object", "a string", …).
    package var kind: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "true or false"
        case .null: return "null"
        }
    }
}

/// A JSON object: members in document order, looked up by key.
package struct JSONObject: Sendable, Equatable {
    /// One `"key": value` pair.
    package struct Member: Sendable, Equatable {
        package var key: String
        package var value: JSONValue
    }

    /// Where the opening brace is.
    package let position: JSONPosition
    /// The members in document order (after the reader's duplicate-key policy).
    package private(set) var members: [Member] = []
    private var index: [String: Int] = [:]

    package init(position: JSONPosition) {
        self.position = position
    }

    package subscript(key: String) -> JSONValue? {
        index[key].map { members[$0].value }
    }

    /// The keys in document order.
    package var keys: [String] { members.map(\.key) }

    /// Whether `key` is already a member.
    func contains(_ key: String) -> Bool { index[key] != nil }

    /// Adds a member; a key already present is removed first, so the later value wins and takes
    /// the later place (what serde_json's ordered map, and so config-rs, does).
    mutating func append(_ key: String, _ value: JSONValue) {
        if let existing = index.removeValue(forKey: key) {
            members.remove(at: existing)
            for (offset, member) in members.enumerated().dropFirst(existing) { index[member.key] = offset }
        }
        index[key] = members.count
        members.append(Member(key: key, value: value))
    }

    package static func == (left: JSONObject, right: JSONObject) -> Bool {
        left.position == right.position && left.members == right.members
    }
}
