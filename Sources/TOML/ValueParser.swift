/// Values after `=`: dispatch on the first byte, and the two containers whose nesting the input
/// controls (arrays and inline tables), bounded by `maxDepth` so deep input cannot exhaust the stack.
extension Parser {
    /// Parses the value starting at `pos`; `key` names the key it belongs to in messages.
    mutating func parseValue(key: String) throws(TOMLParseError) -> TOMLValue {
        guard pos < end else { throw error(.expectedValue(key: key, found: "end of file"), at: pos) }
        let value = bytes[pos]
        switch value {
        case UInt8(ascii: "\""):
            if byte(at: pos + 1) == value && byte(at: pos + 2) == value {
                return .string(try parseMultilineString(literal: false))
            }
            return .string(try parseBasicString())
        case UInt8(ascii: "'"):
            if byte(at: pos + 1) == value && byte(at: pos + 2) == value {
                return .string(try parseMultilineString(literal: true))
            }
            return .string(try parseLiteralString())
        case UInt8(ascii: "t"):
            if matches("true") { return .boolean(true) }
        case UInt8(ascii: "f"):
            if matches("false") { return .boolean(false) }
        case UInt8(ascii: "["):
            return .array(try parseArray(key: key))
        case UInt8(ascii: "{"):
            if byte(at: pos + 1) == UInt8(ascii: "{") { throw templateError() }
            return .table(try parseInlineTable())
        case UInt8(ascii: "$"):
            if byte(at: pos + 1) == UInt8(ascii: "{") { throw templateError() }
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            if looksLikeDateTime() { return .dateTime(try parseDateTime()) }
            return try parseNumber()
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "i"), UInt8(ascii: "n"):
            return try parseNumber()
        default:
            break
        }
        if value >= 0x80 || value == 0x0D {
            throw unexpected(at: pos, expected: "a value for key \(quoted(key))")
        }
        throw error(.expectedValue(key: key, found: describe(at: pos)), at: pos)
    }

    /// Consumes `word` if it is at `pos`.
    private mutating func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard pos + count <= end else { return false }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for offset in 0..<count where bytes[pos + offset] != expected[offset] { return false }
        pos += count
        return true
    }

    /// A `${VAR}` or `{{ … }}` placeholder: report it as an unrendered template.
    private mutating func templateError() -> TOMLParseError {
        var stop = pos
        let closer = bytes[pos] == UInt8(ascii: "$") ? 1 : 2
        var closers = 0
        while stop < end && bytes[stop] != 0x0A && bytes[stop] != 0x0D {
            if bytes[stop] == UInt8(ascii: "}") {
                closers += 1
                if closers == closer {
                    stop += 1
                    break
                }
            }
            stop += 1
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[pos..<stop]), as: UTF8.self)
        return error(.templatePlaceholder(text), at: pos)
    }

    private mutating func enterContainer() throws(TOMLParseError) {
        depth += 1
        if depth > maxDepth { throw error(.nestingTooDeep(limit: maxDepth), at: pos) }
    }

    /// Parses `[ value, … ]` starting at the `[` at `pos`.
    private mutating func parseArray(key: String) throws(TOMLParseError) -> TOMLArray {
        let startLine = line
        let array = TOMLArray(location: here(), isArrayOfTables: false)
        try enterContainer()
        let level = depth
        while elementScratch.count <= level {
            elementScratch.append([])
            locationScratch.append([])
        }
        elementScratch[level].removeAll(keepingCapacity: true)
        locationScratch[level].removeAll(keepingCapacity: true)
        pos += 1
        while true {
            try skipWhitespaceCommentsAndNewlines()
            if pos >= end { throw error(.unterminatedArray(startLine: startLine), at: pos) }
            if bytes[pos] == UInt8(ascii: "]") { break }
            let location = here()
            let element = try parseValue(key: key)
            elementScratch[level].append(element)
            locationScratch[level].append(location)
            try skipWhitespaceCommentsAndNewlines()
            if pos >= end { throw error(.unterminatedArray(startLine: startLine), at: pos) }
            if bytes[pos] == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if bytes[pos] == UInt8(ascii: "]") { break }
            throw unexpected(at: pos, expected: "\",\" or \"]\" in the array started at line \(startLine)")
        }
        pos += 1
        depth -= 1
        array.elements = ExactArray.moving(&elementScratch[level], leaving: .boolean(false))
        array.locations = ExactArray.moving(&locationScratch[level], leaving: .start)
        elementScratch[level].removeAll(keepingCapacity: true)
        return array
    }

    /// Between the members of an inline table: TOML 1.1 allows newlines and comments there, 1.0 does not.
    private mutating func skipInsideInlineTable() throws(TOMLParseError) {
        if version == .v1_1 {
            try skipWhitespaceCommentsAndNewlines()
            return
        }
        skipWhitespace()
        if current == 0x0A || current == 0x0D || current == UInt8(ascii: "#") {
            if pos < end {
                throw error(.requiresTOML11(feature: "a line break inside an inline table"), at: pos)
            }
        }
    }

    /// Parses `{ key = value, … }` starting at the `{` at `pos`.
    private mutating func parseInlineTable() throws(TOMLParseError) -> TOMLTable {
        let startLine = line
        let table = TOMLTable(location: here(), origin: .inline)
        try enterContainer()
        pos += 1
        try skipInsideInlineTable()
        if current == UInt8(ascii: "}") && pos < end {
            pos += 1
            depth -= 1
            return table
        }
        while true {
            if pos >= end { throw error(.unterminatedInlineTable(startLine: startLine), at: pos) }
            try parseKeyValue(into: table)
            try skipInsideInlineTable()
            if pos >= end { throw error(.unterminatedInlineTable(startLine: startLine), at: pos) }
            if bytes[pos] == UInt8(ascii: "}") { break }
            guard bytes[pos] == UInt8(ascii: ",") else {
                throw unexpected(
                    at: pos, expected: "\",\" or \"}\" in the inline table started at line \(startLine)")
            }
            let comma = pos
            pos += 1
            try skipInsideInlineTable()
            if current == UInt8(ascii: "}") && pos < end {
                if version == .v1_0 {
                    throw error(.requiresTOML11(feature: "a trailing comma in an inline table"), at: comma)
                }
                break
            }
        }
        pos += 1
        depth -= 1
        table.shrinkToFit()
        return table
    }
}
