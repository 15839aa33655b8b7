/// The parser's cursor over the raw bytes of a document: position, line bookkeeping, and the
/// low-level rules every other part shares (whitespace, comments, newlines, UTF-8, errors).
///
/// Works on an `UnsafeBufferPointer` so scanning is plain byte comparisons; `Strings` are
/// only created for finished keys and values.
struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    let end: Int
    let fileName: String
    let version: TOMLParser.Version
    let maxDepth: Int
    var pos = 0
    var line = 1
    /// Offset of the first byte of the current line.
    var lineStart = 0
    /// Last computed column on the current line, so long lines are not re-counted from the start.
    var columnCachePos = 0
    var columnCacheValue = 1
    /// Current nesting of arrays and inline tables.
    var depth = 0
    /// Key parts of the key being parsed; reused to avoid an allocation per key.
    var keyParts: [KeyPart] = []
    /// The key names of the last `[header]`: the table that top-level key/value pairs go into.
    var currentHeader: [String] = []
    /// Bytes of a string with escapes, reused between strings.
    var scratch: [UInt8] = []
    /// Elements and their locations of the arrays being parsed, one buffer per nesting level,
    /// reused so each finished array is allocated once at its exact size.
    var elementScratch: [[TOMLValue]] = []
    var locationScratch: [[SourceLocation]] = []
    /// Tables and arrays of tables that may have grown after their section ended; their spare
    /// capacity is given back when the document is complete.
    var unfinishedTables: [TOMLTable] = []
    var unfinishedArrays: [TOMLArray] = []
    /// Told, between top-level statements, how many leading bytes will never be read again.
    var releaseConsumed: ((Int) -> Void)? = nil
    var lastRelease = 0

    init(
        bytes: UnsafeBufferPointer<UInt8>, fileName: String, version: TOMLParser.Version, maxDepth: Int
    ) {
        self.bytes = bytes
        self.end = bytes.count
        self.fileName = fileName
        self.version = version
        self.maxDepth = maxDepth
    }

    var atEnd: Bool { pos >= end }

    /// The byte at `index`, or 0 past the end (callers check `atEnd` where NUL and EOF differ).
    @inline(__always) func byte(at index: Int) -> UInt8 {
        index < end ? bytes[index] : 0
    }

    @inline(__always) var current: UInt8 { byte(at: pos) }

    // MARK: Positions

    /// The line and column of `index`, which must be on the current line.
    mutating func location(at index: Int) -> SourceLocation {
        if columnCachePos < lineStart || columnCachePos > index {
            columnCachePos = lineStart
            columnCacheValue = 1
        }
        var column = columnCacheValue
        var cursor = columnCachePos
        while cursor < index {
            if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
            cursor += 1
        }
        columnCachePos = index
        columnCacheValue = column
        return SourceLocation(line: line, column: column)
    }

    mutating func here() -> SourceLocation { location(at: pos) }

    /// Records that a line feed was just consumed (`pos` is after it).
    @inline(__always) mutating func beginLine() {
        line += 1
        lineStart = pos
    }

    // MARK: Errors

    mutating func error(_ reason: TOMLParseError.Reason, at index: Int) -> TOMLParseError {
        TOMLParseError(fileName: fileName, location: location(at: min(index, end)), reason: reason)
    }

    mutating func error(_ reason: TOMLParseError.Reason, location: SourceLocation) -> TOMLParseError {
        TOMLParseError(fileName: fileName, location: location, reason: reason)
    }

    /// How the character at `index` is named in messages: `"x"`, `end of line`, `U+0007`.
    func describe(at index: Int) -> String {
        guard index < end else { return "end of file" }
        let value = bytes[index]
        switch value {
        case 0x0A, 0x0D: return "end of line"
        case 0x20: return "a space"
        case 0x09: return "a tab"
        case 0x00..<0x20, 0x7F:
            let digits = String(value, radix: 16, uppercase: true)
            return "control character U+" + String(repeating: "0", count: 4 - digits.count) + digits
        case 0x80...:
            if let length = utf8Length(at: index) {
                let scalarBytes = UnsafeBufferPointer(rebasing: bytes[index..<(index + length)])
                return "\"" + String(decoding: scalarBytes, as: UTF8.self) + "\""
            }
            return "invalid UTF-8 byte 0x" + String(value, radix: 16)
        default:
            return "\"" + String(UnicodeScalar(value)) + "\""
        }
    }

    /// The error for an unexpected byte at `index`, choosing the most precise reason.
    mutating func unexpected(at index: Int, expected: String) -> TOMLParseError {
        if index >= end { return error(.unexpectedEndOfFile(expected: expected), at: index) }
        let value = bytes[index]
        if value == 0x0D && byte(at: index + 1) != 0x0A { return error(.bareCarriageReturn, at: index) }
        if value >= 0x80 {
            if let problem = invalidUTF8Index(at: index) {
                return error(.invalidUTF8(byte: bytes[problem]), at: problem)
            }
        }
        return error(.unexpectedCharacter(found: describe(at: index), expected: expected), at: index)
    }

    // MARK: UTF-8

    /// The length of the valid UTF-8 sequence starting at `index`, or nil if it is invalid.
    func utf8Length(at index: Int) -> Int? {
        invalidUTF8Index(at: index) == nil ? sequenceLength(bytes[index]) : nil
    }

    private func sequenceLength(_ lead: UInt8) -> Int {
        lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// nil if a valid multi-byte sequence starts at `index`, else the index of the first bad byte.
    /// Rejects overlong forms, surrogates (U+D800…U+DFFF) and scalars above U+10FFFF as TOML requires.
    func invalidUTF8Index(at index: Int) -> Int? {
        let lead = bytes[index]
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return index
        }
        let second = byte(at: index + 1)
        if index + 1 >= end || second < low || second > high { return index + 1 < end ? index + 1 : index }
        for offset in 2..<length {
            let next = byte(at: index + offset)
            if index + offset >= end || next & 0xC0 != 0x80 {
                return index + offset < end ? index + offset : index
            }
        }
        return nil
    }

    /// Checks the multi-byte sequence at `pos` and steps over it.
    @inline(__always) mutating func skipUTF8Sequence() throws(TOMLParseError) {
        if let problem = invalidUTF8Index(at: pos) {
            throw error(.invalidUTF8(byte: bytes[problem]), at: problem)
        }
        pos += sequenceLength(bytes[pos])
    }

    // MARK: Whitespace, comments, newlines

    @inline(__always) mutating func skipWhitespace() {
        while pos < end {
            let value = bytes[pos]
            guard value == 0x20 || value == 0x09 else { return }
            pos += 1
        }
    }

    /// Skips a comment if one starts at `pos`, stopping before the newline that ends it.
    mutating func skipComment() throws(TOMLParseError) {
        guard pos < end, bytes[pos] == UInt8(ascii: "#") else { return }
        pos += 1
        while pos < end {
            let value = bytes[pos]
            if value >= 0x20 && value < 0x7F || value == 0x09 {
                pos += 1
            } else if value == 0x0A {
                return
            } else if value == 0x0D {
                if byte(at: pos + 1) == 0x0A { return }
                throw error(.bareCarriageReturn, at: pos)
            } else if value >= 0x80 {
                try skipUTF8Sequence()
            } else {
                throw error(.controlCharacter(scalar: UInt32(value), place: "a comment"), at: pos)
            }
        }
    }

    /// Consumes one newline (LF or CRLF) if there is one; returns whether it did.
    mutating func skipNewline() throws(TOMLParseError) -> Bool {
        guard pos < end else { return false }
        if bytes[pos] == 0x0A {
            pos += 1
            beginLine()
            return true
        }
        if bytes[pos] == 0x0D {
            guard byte(at: pos + 1) == 0x0A else { throw error(.bareCarriageReturn, at: pos) }
            pos += 2
            beginLine()
            return true
        }
        return false
    }

    /// Skips whitespace, comments and newlines (between array elements, or in 1.1 inline tables).
    mutating func skipWhitespaceCommentsAndNewlines() throws(TOMLParseError) {
        while true {
            skipWhitespace()
            try skipComment()
            if try !skipNewline() { return }
        }
    }

    /// After a key/value pair or a header: optional whitespace and comment, then a newline or the end.
    mutating func expectEndOfLine(after key: String) throws(TOMLParseError) {
        skipWhitespace()
        try skipComment()
        if pos >= end { return }
        if try skipNewline() { return }
        if bytes[pos] >= 0x80 || bytes[pos] == 0x0D {
            throw unexpected(at: pos, expected: "the end of the line")
        }
        throw error(.expectedEndOfLine(key: key, found: describe(at: pos)), at: pos)
    }
}
