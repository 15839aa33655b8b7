/// kms-drift's one JSON reader (RFC 8259), beside ``JSONWriter``: JSON configuration layers and
/// the live `GET /config` answer (through EffectiveConfig's `JSONLayer`), export manifests and
/// network statements all read through it, into a ``JSONValue`` tree with positions.
///
/// Strict where JSON is: no comments, no trailing commas, no leading zeros, strings of valid
/// UTF-8 without raw control characters, surrogates paired. Numbers follow serde_json as
/// config-rs reads them: an integer that fits `Int64` is an integer, anything with a fraction or
/// an exponent (or larger) is a float. A leading UTF-8 byte order mark is skipped. Nesting and size
/// are bounded, so hostile input cannot exhaust the stack or memory.
package struct JSONReader {
    /// What to do with a key repeated in one object.
    package enum DuplicateKeys: Sendable {
        /// The later value wins and takes the later place, as serde_json (kms-server) does.
        case keepLast
        /// An error at the repeated key: for signed or exchanged documents, which must not read
        /// two ways in two readers.
        case refuse
    }

    /// Bounds on what is read.
    package struct Limits: Sendable {
        /// Nesting deeper than this is refused.
        package var maximumDepth: Int
        /// A document longer than this is refused before it is read; `nil` for no bound.
        package var maximumBytes: Int?

        package init(maximumDepth: Int = 512, maximumBytes: Int? = nil) {
            self.maximumDepth = maximumDepth
            self.maximumBytes = maximumBytes
        }
    }

    private let bytes: [UInt8]
    private let duplicateKeys: DuplicateKeys
    private let limits: Limits
    private var position = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0

    private init(bytes: [UInt8], duplicateKeys: DuplicateKeys, limits: Limits) {
        self.bytes = bytes
        self.duplicateKeys = duplicateKeys
        self.limits = limits
    }

    /// Reads one whole document (any value at the top level; callers decide what they accept).
    package static func read(
        _ bytes: [UInt8], duplicateKeys: DuplicateKeys = .keepLast, limits: Limits = Limits()
    ) throws(JSONReadError) -> JSONValue {
        if let limit = limits.maximumBytes, bytes.count > limit {
            throw .tooLarge(size: bytes.count, limit: limit)
        }
        var reader = JSONReader(bytes: bytes, duplicateKeys: duplicateKeys, limits: limits)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.position = 3 }
        reader.skipWhitespace()
        let value = try reader.value()
        reader.skipWhitespace()
        guard reader.position == bytes.count else {
            throw reader.error("unexpected text after the JSON value")
        }
        return value
    }

    private var here: JSONPosition { JSONPosition(line: line, column: position - lineStart + 1) }

    private func error(_ reason: String, at place: JSONPosition? = nil) -> JSONReadError {
        let place = place ?? here
        return .invalid(line: place.line, column: place.column, reason: reason)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0D: position += 1
            case 0x0A:
                position += 1
                line += 1
                lineStart = position
            default: return
            }
        }
    }

    private mutating func value() throws(JSONReadError) -> JSONValue {
        guard position < bytes.count else { throw error("unexpected end of input, expected a value") }
        let start = here
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(start)
        case UInt8(ascii: "["): return try array(start)
        case UInt8(ascii: "\""): return .string(try string(), start)
        case UInt8(ascii: "t"):
            try literal("true")
            return .boolean(true, start)
        case UInt8(ascii: "f"):
            try literal("false")
            return .boolean(false, start)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null(start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try number(start)
        default:
            throw error("unexpected character, expected a value")
        }
    }

    private mutating func literal(_ word: String) throws(JSONReadError) {
        let expected = Array(word.utf8)
        guard bytes.count - position >= expected.count,
            bytes[position..<position + expected.count].elementsEqual(expected)
        else { throw error("unexpected character, expected a value") }
        position += expected.count
    }

    private mutating func enter() throws(JSONReadError) {
        depth += 1
        if depth > limits.maximumDepth { throw error("nested deeper than \(limits.maximumDepth) levels") }
    }

    private mutating func object(_ start: JSONPosition) throws(JSONReadError) -> JSONValue {
        try enter()
        position += 1
        var object = JSONObject(position: start)
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw error("expected a quoted key")
            }
            let keyStart = here
            let key = try string()
            if duplicateKeys == .refuse && object.contains(key) {
                throw error("the key \(JSONWriter.quoted(key)) is repeated", at: keyStart)
            }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after the key")
            }
            position += 1
            skipWhitespace()
            object.append(key, try value())
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input in an object") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
            position += 1
            depth -= 1
            return .object(object)
        }
    }

    private mutating func array(_ start: JSONPosition) throws(JSONReadError) -> JSONValue {
        try enter()
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements, start)
        }
        while true {
            skipWhitespace()
            elements.append(try value())
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input in an array") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
            position += 1
            depth -= 1
            return .array(elements, start)
        }
    }

    private mutating func string() throws(JSONReadError) -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var run = position
        func flush(_ end: Int) throws(JSONReadError) {
            guard run < end else { return }
            guard let text = String(validating: bytes[run..<end], as: UTF8.self) else {
                throw error(
                    "invalid UTF-8 in a string", at: JSONPosition(line: line, column: run - lineStart + 1))
            }
            scalars.append(contentsOf: text.unicodeScalars)
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                try flush(position)
                position += 1
                return String(scalars)
            }
            if byte < 0x20 { throw error("control character in a string") }
            if byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            try flush(position)
            position += 1
            guard position < bytes.count else { break }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code) {
                    guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"),
                        bytes[position + 1] == UInt8(ascii: "u")
                    else { throw error("unpaired surrogate in a \\u escape") }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw error("unpaired surrogate in a \\u escape")
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else {
                    throw error("unpaired surrogate in a \\u escape")
                }
                scalars.append(scalar)
            default:
                throw error("invalid escape in a string")
            }
            run = position
        }
        throw error("unterminated string")
    }

    private mutating func hex4() throws(JSONReadError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw error("incomplete \\u escape") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in a \\u escape")
            }
            code = code << 4 | digit
            position += 1
        }
        return code
    }

    private mutating func number(_ start: JSONPosition) throws(JSONReadError) -> JSONValue {
        let first = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        func digits() -> Int {
            let begin = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                position += 1
            }
            return position - begin
        }
        let integerStart = position
        let integerDigits = digits()
        guard integerDigits > 0 else { throw error("invalid number") }
        if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") {
            throw error("leading zero in a number", at: start)
        }
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard digits() > 0 else { throw error("invalid number: no digit after '.'") }
        }
        if position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            if position < bytes.count
                && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-"))
            {
                position += 1
            }
            guard digits() > 0 else { throw error("invalid number: no digit in the exponent") }
        }
        let text = String(decoding: bytes[first..<position], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer, start) }
        guard let float = Double(text) else { throw error("invalid number") }
        // serde_json refuses what does not fit a finite f64; so does kms-server.
        guard float.isFinite else { throw error("number out of range", at: start) }
        return .float(float, start)
    }
}
