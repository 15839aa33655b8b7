/// One part of a dotted key (`a`, `"b.c"`) with where it was written.
struct KeyPart {
    var name: String
    var location: SourceLocation
}

extension Parser {
    /// True for the bytes a bare key may hold: `A-Z a-z 0-9 _ -`.
    @inline(__always) static func isBareKeyByte(_ value: UInt8) -> Bool {
        switch value {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// Parses a possibly dotted key at `pos` into `keyParts`, leaving `pos` after the last part
    /// and any whitespace that follows it.
    mutating func parseKey() throws(TOMLParseError) {
        keyParts.removeAll(keepingCapacity: true)
        let location = here()
        let name = try parseSimpleKey()
        skipWhitespace()
        try parseDottedKeyRest(first: KeyPart(name: name, location: location))
    }

    /// With the first part of a key parsed (and the whitespace after it skipped), parses the
    /// dotted parts that follow, if any, into `keyParts` (which must be empty).
    mutating func parseDottedKeyRest(first: __owned KeyPart) throws(TOMLParseError) {
        keyParts.append(first)
        while pos < end && bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            skipWhitespace()
            let location = here()
            let name = try parseSimpleKey()
            keyParts.append(KeyPart(name: name, location: location))
            skipWhitespace()
        }
    }

    /// One bare or quoted key.
    mutating func parseSimpleKey() throws(TOMLParseError) -> String {
        let start = pos
        switch current {
        case UInt8(ascii: "\""):
            if byte(at: pos + 1) == UInt8(ascii: "\"") && byte(at: pos + 2) == UInt8(ascii: "\"") {
                throw unexpected(at: pos, expected: "a key (a key cannot be a multi-line string)")
            }
            return try parseBasicString()
        case UInt8(ascii: "'"):
            if byte(at: pos + 1) == UInt8(ascii: "'") && byte(at: pos + 2) == UInt8(ascii: "'") {
                throw unexpected(at: pos, expected: "a key (a key cannot be a multi-line string)")
            }
            return try parseLiteralString()
        default:
            while pos < end && Parser.isBareKeyByte(bytes[pos]) { pos += 1 }
            guard pos > start else {
                throw unexpected(
                    at: pos, expected: "a key (letters, digits, \"_\", \"-\" or a quoted string)")
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        }
    }

    /// The key in `keyParts` written as a dotted path for messages, quoting parts that need it.
    func displayName(_ parts: ArraySlice<KeyPart>) -> String {
        parts.map { part in
            let isBare = !part.name.isEmpty && part.name.utf8.allSatisfy(Parser.isBareKeyByte)
            return isBare ? part.name : quoted(part.name)
        }.joined(separator: ".")
    }
}
