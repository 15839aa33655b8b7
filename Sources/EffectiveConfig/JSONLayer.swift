import TOML

/// kms-drift's own JSON reader (RFC 8259), keeping the line of every value: for JSON layers
/// (`config/default.json`), the live `GET /config` answer, and export manifests.
///
/// Numbers follow serde_json as config-rs reads them: an integer that fits `i64` is an
/// integer, anything with a fraction or exponent is a float. Object keys keep document order;
/// a repeated key keeps the last value, as serde_json does.
package struct JSONLayer {
    private let bytes: [UInt8]
    private let source: String
    private let makeOrigin: (Int) -> ValueOrigin
    private var position = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0

    /// Nesting deeper than this is refused, so hostile input cannot exhaust the stack.
    static let maximumDepth = 512

    private init(bytes: [UInt8], source: String, makeOrigin: @escaping (Int) -> ValueOrigin) {
        self.bytes = bytes
        self.source = source
        self.makeOrigin = makeOrigin
    }

    /// Parses a whole document; `source` names it in errors, `origin` turns a line into an origin.
    static func parse(
        _ bytes: [UInt8], source: String, origin: @escaping (Int) -> ValueOrigin
    ) throws(EffectiveConfigError) -> LayeredValue {
        var reader = JSONLayer(bytes: bytes, source: source, makeOrigin: origin)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.position = 3 }
        reader.skipWhitespace()
        let value = try reader.value()
        reader.skipWhitespace()
        guard reader.position == bytes.count else {
            throw reader.error("unexpected text after the JSON value")
        }
        return value
    }

    /// A JSON layer file: its top level must be an object (config-rs refuses anything else).
    package static func readLayer(_ bytes: [UInt8], displayPath: String) throws(EffectiveConfigError)
        -> LayeredTable
    {
        let value = try parse(bytes, source: displayPath) { .file(path: displayPath, line: $0) }
        guard case .table(let table) = value else {
            throw .invalidJSON(
                source: displayPath, line: 1, column: 1, reason: "the top level is not an object")
        }
        return table
    }

    private func error(_ reason: String) -> EffectiveConfigError {
        .invalidJSON(source: source, line: line, column: position - lineStart + 1, reason: reason)
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

    private mutating func value() throws(EffectiveConfigError) -> LayeredValue {
        guard position < bytes.count else { throw error("unexpected end of input, expected a value") }
        let origin = makeOrigin(line)
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(origin)
        case UInt8(ascii: "["): return try array(origin)
        case UInt8(ascii: "\""): return .scalar(.string(try string()), origin)
        case UInt8(ascii: "t"):
            try literal("true")
            return .scalar(.boolean(true), origin)
        case UInt8(ascii: "f"):
            try literal("false")
            return .scalar(.boolean(false), origin)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null(origin)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .scalar(try number(), origin)
        default:
            throw error("unexpected character, expected a value")
        }
    }

    private mutating func literal(_ word: String) throws(EffectiveConfigError) {
        let expected = Array(word.utf8)
        guard bytes.count - position >= expected.count,
            bytes[position..<position + expected.count].elementsEqual(expected)
        else { throw error("unexpected character, expected a value") }
        position += expected.count
    }

    private mutating func enter() throws(EffectiveConfigError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("nested deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func object(_ origin: ValueOrigin) throws(EffectiveConfigError) -> LayeredValue {
        try enter()
        position += 1
        var table = LayeredTable(origin: origin)
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .table(table)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw error("expected a quoted key")
            }
            let key = try string()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after the key")
            }
            position += 1
            skipWhitespace()
            table[key] = nil
            table[key] = try value()
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input in an object") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
            position += 1
            depth -= 1
            return .table(table)
        }
    }

    private mutating func array(_ origin: ValueOrigin) throws(EffectiveConfigError) -> LayeredValue {
        try enter()
        position += 1
        var elements: [LayeredValue] = []
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements, origin)
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
            return .array(elements, origin)
        }
    }

    private mutating func string() throws(EffectiveConfigError) -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var run = position
        func flush(_ end: Int) {
            scalars.append(contentsOf: String(decoding: bytes[run..<end], as: UTF8.self).unicodeScalars)
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                flush(position)
                position += 1
                return String(scalars)
            }
            if byte < 0x20 { throw error("control character in a string") }
            if byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            flush(position)
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

    private mutating func hex4() throws(EffectiveConfigError) -> UInt32 {
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

    private mutating func number() throws(EffectiveConfigError) -> TOMLValue {
        let start = position
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
            throw error("leading zero in a number")
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
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let float = Double(text) else { throw error("invalid number") }
        return .float(float)
    }
}
