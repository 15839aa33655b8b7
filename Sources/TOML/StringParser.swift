/// TOML's four string forms: basic `"…"`, literal `'…'`, and their multi-line `"""`/`'''` variants.
extension Parser {
    /// Parses a basic string starting at the opening quote at `pos`.
    mutating func parseBasicString() throws(TOMLParseError) -> String {
        let startLine = line
        pos += 1
        let contentStart = pos
        // Fast path: no escapes, so the string is a slice of the input.
        while pos < end {
            let value = bytes[pos]
            if value == UInt8(ascii: "\"") {
                let text = String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<pos]), as: UTF8.self)
                pos += 1
                return text
            } else if value == UInt8(ascii: "\\") {
                break
            } else if value >= 0x20 && value != 0x7F {
                if value >= 0x80 { try skipUTF8Sequence() } else { pos += 1 }
            } else if value == 0x09 {
                pos += 1
            } else {
                throw stringCharacterError(startLine: startLine)
            }
        }
        if pos >= end { throw error(.unterminatedString(startLine: startLine), at: pos) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[contentStart..<pos]))
        while pos < end {
            let value = bytes[pos]
            if value == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: scratch, as: UTF8.self)
            } else if value == UInt8(ascii: "\\") {
                try parseEscape()
            } else if value >= 0x20 && value != 0x7F || value == 0x09 {
                if value >= 0x80 {
                    let start = pos
                    try skipUTF8Sequence()
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<pos]))
                } else {
                    scratch.append(value)
                    pos += 1
                }
            } else {
                throw stringCharacterError(startLine: startLine)
            }
        }
        throw error(.unterminatedString(startLine: startLine), at: pos)
    }

    /// The error for a control character or line break inside a single-line string.
    private mutating func stringCharacterError(startLine: Int) -> TOMLParseError {
        let value = bytes[pos]
        if value == 0x0A || value == 0x0D && byte(at: pos + 1) == 0x0A {
            return error(.unterminatedString(startLine: startLine), at: pos)
        }
        return error(.controlCharacter(scalar: UInt32(value), place: "a string"), at: pos)
    }

    /// Parses a literal string starting at the opening quote at `pos`.
    mutating func parseLiteralString() throws(TOMLParseError) -> String {
        let startLine = line
        pos += 1
        let contentStart = pos
        while pos < end {
            let value = bytes[pos]
            if value == UInt8(ascii: "'") {
                let text = String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<pos]), as: UTF8.self)
                pos += 1
                return text
            } else if value >= 0x20 && value != 0x7F {
                if value >= 0x80 { try skipUTF8Sequence() } else { pos += 1 }
            } else if value == 0x09 {
                pos += 1
            } else {
                throw stringCharacterError(startLine: startLine)
            }
        }
        throw error(.unterminatedString(startLine: startLine), at: pos)
    }

    /// Decodes the escape sequence at `pos` (a backslash) into `scratch`.
    private mutating func parseEscape() throws(TOMLParseError) {
        let start = pos
        pos += 1
        guard pos < end else { throw error(.unterminatedString(startLine: line), at: pos) }
        let letter = bytes[pos]
        pos += 1
        switch letter {
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "e"):
            guard version == .v1_1 else {
                throw error(.requiresTOML11(feature: "the escape \\e"), at: start)
            }
            scratch.append(0x1B)
        case UInt8(ascii: "x"):
            guard version == .v1_1 else {
                throw error(.requiresTOML11(feature: "the escape \\xHH"), at: start)
            }
            try appendScalarEscape(start: start, digits: 2)
        case UInt8(ascii: "u"): try appendScalarEscape(start: start, digits: 4)
        case UInt8(ascii: "U"): try appendScalarEscape(start: start, digits: 8)
        default:
            pos = start
            let shown = letter < 0x80 && letter >= 0x20 ? "\\" + String(UnicodeScalar(letter)) : "\\"
            throw error(.invalidEscape(shown), at: start)
        }
    }

    private mutating func appendScalarEscape(start: Int, digits: Int) throws(TOMLParseError) {
        var code: UInt32 = 0
        for _ in 0..<digits {
            guard let digit = Parser.hexValue(byte(at: pos)), pos < end else {
                let stop = min(pos, end)
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self)
                throw error(.invalidEscape(text), at: start)
            }
            code = code << 4 | UInt32(digit)
            pos += 1
        }
        guard let scalar = Unicode.Scalar(code) else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
            throw error(.invalidUnicodeEscape(text), at: start)
        }
        scratch.append(contentsOf: scalar.utf8)
    }

    static func hexValue(_ value: UInt8) -> UInt8? {
        switch value {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return value - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return value - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return value - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Parses a multi-line string whose three opening quotes start at `pos`.
    /// `literal` selects `'''` (no escapes) over `"""`.
    mutating func parseMultilineString(literal: Bool) throws(TOMLParseError) -> String {
        let startLine = line
        let quote = literal ? UInt8(ascii: "'") : UInt8(ascii: "\"")
        pos += 3
        // A newline right after the opening quotes is not part of the string.
        _ = try skipNewline()
        scratch.removeAll(keepingCapacity: true)
        while pos < end {
            let value = bytes[pos]
            if value == quote {
                var run = 0
                while byte(at: pos + run) == quote && pos + run < end { run += 1 }
                if run >= 3 {
                    guard run <= 5 else {
                        throw error(
                            .unexpectedCharacter(
                                found: "\(run) quotes",
                                expected: "at most two quotes before the closing quotes"),
                            at: pos)
                    }
                    for _ in 0..<(run - 3) { scratch.append(quote) }
                    pos += run
                    return String(decoding: scratch, as: UTF8.self)
                }
                for _ in 0..<run { scratch.append(quote) }
                pos += run
            } else if value == UInt8(ascii: "\\") && !literal {
                if try !skipLineEndingBackslash() { try parseEscape() }
            } else if value == 0x0A {
                scratch.append(0x0A)
                pos += 1
                beginLine()
            } else if value == 0x0D {
                guard byte(at: pos + 1) == 0x0A else { throw error(.bareCarriageReturn, at: pos) }
                scratch.append(0x0D)
                scratch.append(0x0A)
                pos += 2
                beginLine()
            } else if value >= 0x80 {
                let start = pos
                try skipUTF8Sequence()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<pos]))
            } else if value >= 0x20 && value != 0x7F || value == 0x09 {
                scratch.append(value)
                pos += 1
            } else {
                throw error(.controlCharacter(scalar: UInt32(value), place: "a string"), at: pos)
            }
        }
        throw error(.unterminatedString(startLine: startLine), at: pos)
    }

    /// A backslash followed by optional whitespace and a newline trims all whitespace and
    /// newlines that follow. Returns false (consuming nothing) if `pos` is an ordinary escape.
    private mutating func skipLineEndingBackslash() throws(TOMLParseError) -> Bool {
        var cursor = pos + 1
        while cursor < end && (bytes[cursor] == 0x20 || bytes[cursor] == 0x09) { cursor += 1 }
        let next = byte(at: cursor)
        guard cursor < end, next == 0x0A || (next == 0x0D && byte(at: cursor + 1) == 0x0A) else {
            return false
        }
        pos = cursor
        while pos < end {
            let value = bytes[pos]
            if value == 0x20 || value == 0x09 {
                pos += 1
            } else if try !skipNewline() {
                break
            }
        }
        return true
    }
}
