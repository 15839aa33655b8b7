/// Why a TOML document was rejected, with the file, line and column an operator needs to fix it.
///
/// `description` reads like a compiler diagnostic (`cur.toml:12:9: duplicate key "port" …`) so it
/// can be printed as is; `reason` keeps the details typed for callers that react to the kind.
public struct TOMLParseError: Error, CustomStringConvertible, Sendable {
    /// One case per kind of mistake; associated values carry what the message names.
    public enum Reason: Sendable, Equatable {
        /// A byte that cannot start or continue a UTF-8 sequence (overlong, surrogate, > U+10FFFF, stray).
        case invalidUTF8(byte: UInt8)
        /// A control character where TOML forbids it; `place` says where ("a string", "a comment", …).
        case controlCharacter(scalar: UInt32, place: String)
        /// A carriage return that is not followed by a line feed.
        case bareCarriageReturn
        /// The file ended where more input was needed; `expected` says what.
        case unexpectedEndOfFile(expected: String)
        /// Something other than what the grammar allows at this point.
        case unexpectedCharacter(found: String, expected: String)
        /// A key without the `=` that must follow it.
        case expectedEquals(key: String)
        /// A key with `=` but no value after it.
        case expectedValue(key: String, found: String)
        /// Text after a value on the same line.
        case expectedEndOfLine(key: String, found: String)
        /// A key that is already defined in the same table.
        case duplicateKey(key: String, firstLine: Int)
        /// A `[table]` header for a table that is already defined.
        case tableDefinedTwice(name: String, firstLine: Int)
        /// A header or dotted key that goes through a key whose value is not a table.
        case notATable(name: String, typeName: String, firstLine: Int)
        /// An attempt to add keys to an inline table (`{ … }`) after it was closed.
        case inlineTableExtended(name: String, firstLine: Int)
        /// A `[[name]]` or `[name.sub]` header through a key that holds a static array (`name = […]`).
        case staticArrayExtended(name: String, firstLine: Int)
        /// Dotted keys that add to a table defined by a `[header]`, or a header for a table made by dotted keys.
        case tableRedefinedByDottedKeys(name: String, firstLine: Int)
        /// A string still open at the end of the line (single-line) or of the file (multi-line).
        case unterminatedString(startLine: Int)
        /// An array still open at the end of the file.
        case unterminatedArray(startLine: Int)
        /// An inline table still open at the end of the file.
        case unterminatedInlineTable(startLine: Int)
        /// A backslash escape TOML does not define (or a truncated `\u`, `\U`, `\x`).
        case invalidEscape(String)
        /// A `\u`/`\U` escape naming a surrogate or a value above U+10FFFF.
        case invalidUnicodeEscape(String)
        /// An integer outside the 64-bit signed range.
        case integerOverflow(String)
        /// A number that breaks TOML's rules (leading zeros, misplaced `_`, missing digits, …).
        case invalidNumber(String, detail: String)
        /// A date or time that is malformed or out of range (month 13, February 30, hour 24, …).
        case invalidDateTime(String, detail: String)
        /// Arrays or inline tables nested deeper than the parser accepts.
        case nestingTooDeep(limit: Int)
        /// A feature of TOML 1.1 used while parsing in 1.0 mode.
        case requiresTOML11(feature: String)
        /// A `${…}` or `{{ … }}` placeholder where a value should be: the file is an unrendered template.
        case templatePlaceholder(String)
    }

    /// The name given to `TOMLParser.parse`, used as the first part of `description`.
    public let fileName: String
    /// The key names (table header, dotted key, inline-table keys) of the value being read when
    /// the mistake was found; `nil` when it was not inside a value. A caller that knows which keys
    /// hold secrets uses it to keep the value out of the message (see ``hidingValue()``).
    public internal(set) var valueKeyPath: [String]? = nil
    /// Where the mistake is: 1-based line, column in Unicode scalars.
    public let location: SourceLocation
    public private(set) var reason: Reason

    /// Makes an error; public so callers can build the same diagnostics for their own checks.
    public init(fileName: String, location: SourceLocation, reason: Reason) {
        self.fileName = fileName
        self.location = location
        self.reason = reason
    }

    /// The same error with every piece of the value's text left out of the message: for a value
    /// under a secret key, whose text must not reach a terminal, a log or a hook.
    public func hidingValue() -> TOMLParseError {
        let hidden = "(the value is not shown: its key holds a secret)"
        var copy = self
        switch reason {
        case .unexpectedCharacter(_, let expected):
            copy.reason = .unexpectedCharacter(found: hidden, expected: expected)
        case .expectedValue(let key, _): copy.reason = .expectedValue(key: key, found: hidden)
        case .expectedEndOfLine(let key, _): copy.reason = .expectedEndOfLine(key: key, found: hidden)
        case .invalidEscape: copy.reason = .invalidEscape(hidden)
        case .invalidUnicodeEscape: copy.reason = .invalidUnicodeEscape(hidden)
        case .integerOverflow: copy.reason = .integerOverflow(hidden)
        case .invalidNumber: copy.reason = .invalidNumber(hidden, detail: "not a valid TOML number")
        case .invalidDateTime: copy.reason = .invalidDateTime(hidden, detail: "not a valid TOML date-time")
        case .templatePlaceholder: copy.reason = .templatePlaceholder(hidden)
        case .invalidUTF8: copy.reason = .unexpectedCharacter(found: hidden, expected: "valid UTF-8")
        default: break
        }
        return copy
    }

    /// Advice beyond the message, for mistakes with a likely cause outside the file itself.
    public var hint: String? {
        switch reason {
        case .templatePlaceholder:
            return "this file looks like an unrendered template (envsubst/Helm); "
                + "render it first (envsubst, helm template) and check the rendered file"
        case .requiresTOML11:
            return "this is valid TOML 1.1 but not TOML 1.0"
        case .bareCarriageReturn:
            return "the file may have old Mac line endings; convert them to LF or CRLF"
        default:
            return nil
        }
    }

    /// The reason as a plain sentence, without file and position.
    public var message: String {
        switch reason {
        case .invalidUTF8(let byte):
            return "invalid UTF-8 byte 0x\(hex(UInt32(byte), width: 2, uppercase: false))"
        case .controlCharacter(let scalar, let place):
            return "control character U+\(hex(scalar, width: 4, uppercase: true)) is not allowed in \(place)"
        case .bareCarriageReturn:
            return "carriage return (U+000D) without a line feed after it"
        case .unexpectedEndOfFile(let expected):
            return "unexpected end of file, expected \(expected)"
        case .unexpectedCharacter(let found, let expected):
            return "expected \(expected), found \(found)"
        case .expectedEquals(let key):
            return "expected \"=\" after key \(quoted(key))"
        case .expectedValue(let key, let found):
            return "expected a value for key \(quoted(key)), found \(found)"
        case .expectedEndOfLine(let key, let found):
            return "expected the end of the line after the value of key \(quoted(key)), found \(found)"
        case .duplicateKey(let key, let line):
            return "duplicate key \(quoted(key)) (first defined at line \(line))"
        case .tableDefinedTwice(let name, let line):
            return "table [\(name)] is defined twice (first at line \(line))"
        case .notATable(let name, let typeName, let line):
            return
                "key \(quoted(name)) is \(article(typeName)) \(typeName) (defined at line \(line)), not a table"
        case .inlineTableExtended(let name, let line):
            return "inline table \(quoted(name)) (line \(line)) is closed and cannot be extended"
        case .staticArrayExtended(let name, let line):
            return
                "array \(quoted(name)) (defined at line \(line)) is a static array and cannot be extended by a table header"
        case .tableRedefinedByDottedKeys(let name, let line):
            return "table \(quoted(name)) was already defined at line \(line) and cannot be redefined here"
        case .unterminatedString(let line):
            return "unterminated string (started at line \(line))"
        case .unterminatedArray(let line):
            return "unterminated array (started at line \(line))"
        case .unterminatedInlineTable(let line):
            return "unterminated inline table (started at line \(line))"
        case .invalidEscape(let text):
            return "invalid escape sequence \(text) in a string"
        case .invalidUnicodeEscape(let text):
            return "escape \(text) is not a Unicode scalar value"
        case .integerOverflow(let text):
            return "integer \(text) does not fit in 64 bits"
        case .invalidNumber(let text, let detail):
            return "invalid number \(text): \(detail)"
        case .invalidDateTime(let text, let detail):
            return "invalid date-time \(text): \(detail)"
        case .nestingTooDeep(let limit):
            return "tables and arrays are nested more than \(limit) levels deep"
        case .requiresTOML11(let feature):
            return "\(feature) requires TOML 1.1"
        case .templatePlaceholder(let text):
            return "\(text) is a template placeholder, not a TOML value"
        }
    }

    /// `file:line:column: message`, plus an indented hint line when there is one.
    public var description: String {
        var text = "\(fileName):\(location.line):\(location.column): \(message)"
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}

private func hex(_ value: UInt32, width: Int, uppercase: Bool) -> String {
    let digits = String(value, radix: 16, uppercase: uppercase)
    let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
    return padded
}

private func article(_ word: String) -> String {
    guard let first = word.first else { return "a" }
    return "aeiou".contains(first) ? "an" : "a"
}

/// A key in double quotes for a message (see ``StringLiteral``).
func quoted(_ key: String) -> String { StringLiteral.quoted(key) }
