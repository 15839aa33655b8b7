/// The parts of the WHATWG URL parser (the `url` crate's `Url::parse`, no base URL) that decide
/// whether kms-server accepts an `[aws]` endpoint: a scheme is required, a special scheme
/// (`http`, `https`, `ws`, `wss`, `ftp`) needs a valid non-empty host and a port ≤ 65535.
/// Everything else (paths, queries, percent-encoding, IDNA) is accepted as the parser would.
enum URLSyntax {
    struct Parsed: Equatable {
        /// Lower-cased, as the parser stores it.
        let scheme: String
        /// Nil for a URL without an authority (`localhost:9000` is scheme `localhost`, path `9000`).
        let host: String?
    }

    enum Failure: Error, Equatable {
        case noScheme, emptyHost, invalidPort, invalidIPv4, invalidIPv6, forbiddenHostCharacter(Character)

        var reason: String {
            switch self {
            case .noScheme: return "it has no scheme (`Url::parse`: relative URL without a base)"
            case .emptyHost: return "its host is empty"
            case .invalidPort: return "its port is not a number up to 65535"
            case .invalidIPv4: return "its host ends in a number but is not a valid IPv4 address"
            case .invalidIPv6: return "its bracketed host is not a valid IPv6 address"
            case .forbiddenHostCharacter(let character): return "its host contains \"\(character)\""
            }
        }
    }

    static let specialSchemes: Set<String> = ["http", "https", "ws", "wss", "ftp", "file"]

    static func parse(_ input: String) -> Result<Parsed, Failure> {
        // Leading and trailing C0 controls and spaces go; tabs and newlines anywhere go.
        var scalars = Array(input.unicodeScalars)
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }

        guard let first = scalars.first, first.properties.isAlphabetic, first.isASCII else {
            return .failure(.noScheme)
        }
        var index = 0
        while index < scalars.count,
            scalars[index].isASCII
                && (scalars[index].properties.isAlphabetic || ("0"..."9").contains(scalars[index])
                    || "+-.".unicodeScalars.contains(scalars[index]))
        {
            index += 1
        }
        guard index < scalars.count, scalars[index] == ":" else { return .failure(.noScheme) }
        let scheme = String(String.UnicodeScalarView(scalars[..<index])).lowercased()
        let rest = Array(scalars[(index + 1)...])
        let special = specialSchemes.contains(scheme)

        var position = 0
        let isSlash: (Unicode.Scalar) -> Bool = { $0 == "/" || (special && $0 == "\\") }
        if special && scheme != "file" {
            // Any run of slashes (or none) leads to the authority.
            while position < rest.count, isSlash(rest[position]) { position += 1 }
        } else if rest.count >= 2, rest[0] == "/", rest[1] == "/" {
            position = 2
        } else {
            return .success(Parsed(scheme: scheme, host: nil))
        }
        var end = position
        while end < rest.count, !isSlash(rest[end]), rest[end] != "?", rest[end] != "#" { end += 1 }
        var authority = Array(rest[position..<end])
        if let at = authority.lastIndex(of: "@") { authority = Array(authority[(at + 1)...]) }

        var host = authority
        var port: [Unicode.Scalar] = []
        var inBrackets = false
        for (offset, scalar) in authority.enumerated() {
            if scalar == "[" { inBrackets = true }
            if scalar == "]" { inBrackets = false }
            if scalar == ":" && !inBrackets {
                host = Array(authority[..<offset])
                port = Array(authority[(offset + 1)...])
                break
            }
        }
        if !port.isEmpty {
            let significant = port.drop { $0 == "0" }
            guard port.allSatisfy({ ("0"..."9").contains($0) }), significant.count <= 5,
                (Int(String(String.UnicodeScalarView(significant))) ?? 0) <= 65535
            else { return .failure(.invalidPort) }
        }
        let hostText = String(String.UnicodeScalarView(host))
        if hostText.isEmpty {
            if special && scheme != "file" { return .failure(.emptyHost) }
            return .success(Parsed(scheme: scheme, host: hostText))
        }
        if hostText.hasPrefix("[") {
            guard hostText.hasSuffix("]"),
                HostSyntax.ipv6(String(hostText.dropFirst().dropLast()), allowZone: false) != nil
            else { return .failure(.invalidIPv6) }
            return .success(Parsed(scheme: scheme, host: hostText))
        }
        let forbidden: Set<Character> =
            special
            ? [
                "\u{0}", "\t", "\n", "\r", " ", "#", "/", ":", "<", ">", "?", "@", "[", "\\", "]", "^", "|",
                "%",
            ]
            : ["\u{0}", "\t", "\n", "\r", " ", "#", "/", ":", "<", ">", "?", "@", "[", "\\", "]", "^", "|"]
        let checked = special ? percentDecoded(hostText) : hostText
        if let bad = checked.first(where: {
            forbidden.contains($0) || $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        }) {
            return .failure(.forbiddenHostCharacter(bad))
        }
        if special, let ipv4 = HostSyntax.whatwgIPv4(checked.lowercased()), case .failure = ipv4 {
            return .failure(.invalidIPv4)
        }
        return .success(Parsed(scheme: scheme, host: checked.lowercased()))
    }

    /// `%41` → `A`; malformed escapes stay as they are.
    private static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "%"), index + 2 < source.count,
                let byte = UInt8(
                    String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(byte)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// `hex::serde` (PCR values) and `alloy_primitives::Address` (verification addresses).
enum HexSyntax {
    /// `hex::decode`: an even number of hex digits, no `0x`; nil when kms-server refuses it.
    static func bytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }

    /// `Address` from a string (const-hex): an optional `0x`, then exactly 40 hex digits.
    static func isAddress(_ text: String) -> Bool {
        let digits = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
        return digits.utf8.count == 40 && bytes(digits) != nil
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
