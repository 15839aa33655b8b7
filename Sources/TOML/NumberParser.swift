/// Integers (decimal, `0x`, `0o`, `0b`, with `_` between digits) and floats (fraction,
/// exponent, `inf`, `nan`), checked against TOML's grammar before conversion.
extension Parser {
    /// Bytes that can belong to a number token; the token is then checked strictly.
    @inline(__always) static func isNumberTokenByte(_ value: UInt8) -> Bool {
        isBareKeyByte(value) || value == UInt8(ascii: "+") || value == UInt8(ascii: ".")
    }

    @inline(__always) static func isDigit(_ value: UInt8) -> Bool {
        value >= UInt8(ascii: "0") && value <= UInt8(ascii: "9")
    }

    /// Parses the integer or float starting at `pos`.
    mutating func parseNumber() throws(TOMLParseError) -> TOMLValue {
        let start = pos
        while pos < end && Parser.isNumberTokenByte(bytes[pos]) { pos += 1 }
        let token = UnsafeBufferPointer(rebasing: bytes[start..<pos])
        // Only messages need the text; build it lazily so numbers cost no String.
        var text: String { String(decoding: token, as: UTF8.self) }
        if token.isEmpty { throw unexpected(at: start, expected: "a value") }

        var index = 0
        var negative = false
        if token[0] == UInt8(ascii: "+") || token[0] == UInt8(ascii: "-") {
            negative = token[0] == UInt8(ascii: "-")
            index = 1
        }
        let body = UnsafeBufferPointer(rebasing: token[index...])
        if body.count == 3 && (body[0] == UInt8(ascii: "i") || body[0] == UInt8(ascii: "n")) {
            if body.elementsEqual("inf".utf8) { return .float(negative ? -.infinity : .infinity) }
            if body.elementsEqual("nan".utf8) { return .float(.nan) }
        }
        guard let first = body.first, Parser.isDigit(first) else {
            throw error(.invalidNumber(text, detail: "a number must start with a digit"), at: start)
        }

        if first == UInt8(ascii: "0") && body.count > 1 {
            let radixLetter = body[1]
            let radix: UInt64? =
                radixLetter == UInt8(ascii: "x")
                ? 16
                : radixLetter == UInt8(ascii: "o")
                    ? 8
                    : radixLetter == UInt8(ascii: "b") ? 2 : nil
            if let radix {
                guard index == 0 else {
                    throw error(
                        .invalidNumber(text, detail: "a sign is not allowed before 0x, 0o or 0b"), at: start)
                }
                let digits = UnsafeBufferPointer(rebasing: body[2...])
                let magnitude = try integerMagnitude(digits, radix: radix, text: text, at: start)
                guard magnitude <= UInt64(Int64.max) else { throw error(.integerOverflow(text), at: start) }
                return .integer(Int64(magnitude))
            }
        }

        var isFloat = false
        for value in body
        where value == UInt8(ascii: ".") || value == UInt8(ascii: "e") || value == UInt8(ascii: "E") {
            isFloat = true
            break
        }
        if isFloat { return .float(try parseFloat(body, negative: negative, text: text, at: start)) }

        if first == UInt8(ascii: "0") && body.count > 1 {
            throw error(.invalidNumber(text, detail: "leading zeros are not allowed"), at: start)
        }
        let magnitude = try integerMagnitude(body, radix: 10, text: text, at: start)
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw error(.integerOverflow(text), at: start) }
            return .integer(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))
        }
        guard magnitude <= UInt64(Int64.max) else { throw error(.integerOverflow(text), at: start) }
        return .integer(Int64(magnitude))
    }

    /// Digits with single underscores between them, in `radix`, as an unsigned magnitude.
    private mutating func integerMagnitude(
        _ digits: UnsafeBufferPointer<UInt8>, radix: UInt64, text: String, at start: Int
    ) throws(TOMLParseError) -> UInt64 {
        var result: UInt64 = 0
        var previousWasDigit = false
        for value in digits {
            if value == UInt8(ascii: "_") {
                guard previousWasDigit else {
                    throw error(.invalidNumber(text, detail: "\"_\" must be between two digits"), at: start)
                }
                previousWasDigit = false
                continue
            }
            guard let digit = Parser.hexValue(value), UInt64(digit) < radix else {
                throw error(.invalidNumber(text, detail: "unexpected \"\(UnicodeScalar(value))\""), at: start)
            }
            let (shifted, overflow1) = result.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 { throw error(.integerOverflow(text), at: start) }
            result = sum
            previousWasDigit = true
        }
        guard previousWasDigit else {
            let detail = digits.isEmpty ? "digits are missing" : "\"_\" must be between two digits"
            throw error(.invalidNumber(text, detail: detail), at: start)
        }
        return result
    }

    /// Checks a float's grammar (`int [. digits] [e [+-] digits]`) and converts it.
    private mutating func parseFloat(
        _ body: UnsafeBufferPointer<UInt8>, negative: Bool, text: String, at start: Int
    ) throws(TOMLParseError) -> Double {
        var cleaned = negative ? "-" : ""
        cleaned.reserveCapacity(body.count + 1)
        var index = 0
        // Part 0: integer, 1: fraction, 2: exponent.
        var part = 0
        var digitsInPart = 0
        var previousWasDigit = false
        func fail(_ detail: String) -> TOMLParseError.Reason { .invalidNumber(text, detail: detail) }
        while index < body.count {
            let value = body[index]
            if Parser.isDigit(value) {
                if part == 0 && digitsInPart == 1 && body[0] == UInt8(ascii: "0") {
                    throw error(fail("leading zeros are not allowed"), at: start)
                }
                cleaned.unicodeScalars.append(UnicodeScalar(value))
                digitsInPart += 1
                previousWasDigit = true
            } else if value == UInt8(ascii: "_") {
                guard previousWasDigit, index + 1 < body.count, Parser.isDigit(body[index + 1]) else {
                    throw error(fail("\"_\" must be between two digits"), at: start)
                }
                previousWasDigit = false
            } else if value == UInt8(ascii: ".") {
                guard part == 0, digitsInPart > 0, index + 1 < body.count, Parser.isDigit(body[index + 1])
                else {
                    throw error(fail("a decimal point must have digits on both sides"), at: start)
                }
                cleaned += "."
                part = 1
                digitsInPart = 0
                previousWasDigit = false
            } else if value == UInt8(ascii: "e") || value == UInt8(ascii: "E") {
                guard part < 2, digitsInPart > 0 else {
                    throw error(fail("an exponent must follow digits"), at: start)
                }
                cleaned += "e"
                part = 2
                digitsInPart = 0
                previousWasDigit = false
                if index + 1 < body.count,
                    body[index + 1] == UInt8(ascii: "+") || body[index + 1] == UInt8(ascii: "-")
                {
                    cleaned.unicodeScalars.append(UnicodeScalar(body[index + 1]))
                    index += 1
                }
            } else {
                throw error(fail("unexpected \"\(UnicodeScalar(value))\""), at: start)
            }
            index += 1
        }
        guard digitsInPart > 0 else { throw error(fail("digits are missing at the end"), at: start) }
        guard let result = Double(cleaned) else { throw error(fail("not a number"), at: start) }
        return result
    }
}
