/// IP addresses and host names as kms-server's libraries read them: Rust's `SocketAddr` parser
/// (`telemetry.metrics_bind_address`), `"<address>:<port>".to_socket_addrs()` with glibc's
/// `getaddrinfo` behind it (`listen_address`), and the WHATWG host parser of `Url::parse`.
enum HostSyntax {
    /// A listen address after resolution, as far as it can be known without a network.
    enum ListenHost: Equatable {
        case ipv4(UInt32)
        case ipv6([UInt16])
        /// A host name: resolved by DNS or /etc/hosts at start-up (lower-cased, no trailing dot).
        case name(String)

        var isWildcard: Bool {
            switch self {
            case .ipv4(let address): return address == 0
            case .ipv6(let groups): return groups.allSatisfy { $0 == 0 }
            case .name: return false
            }
        }
    }

    /// What `to_socket_addrs` does with `"<address>:<port>"`: a literal IPv4 or IPv6 address
    /// (bracketed or not), an IPv4 form glibc's `inet_aton` accepts (`127.1`), or a host name;
    /// otherwise why it cannot resolve (kms-server then panics).
    static func listenHost(_ address: String) -> Result<ListenHost, ListenAddressProblem> {
        if address.hasPrefix("[") {
            // "[v6]:port" parses as a socket address; anything else in brackets is no host.
            guard address.hasSuffix("]"),
                let groups = ipv6(String(address.dropFirst().dropLast()), allowZone: true)
            else { return .failure(.notAHost) }
            return .success(.ipv6(groups))
        }
        if let value = inetAton(address) { return .success(.ipv4(value)) }
        if address.contains(":") {
            if let groups = ipv6(address, allowZone: true) { return .success(.ipv6(groups)) }
            if address.contains("://") { return .failure(.url) }
            if let colon = address.lastIndex(of: ":"),
                inetAton(String(address[..<colon])) != nil
                    || isHostName(String(address[..<colon]))
            {
                return .failure(.hasPort)
            }
            return .failure(.notAHost)
        }
        let labels = address.split(separator: ".", omittingEmptySubsequences: false)
        if labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isHexDigit || $0 == "x" || $0 == "X" } })
            && labels.last?.first?.isNumber == true
        {
            // All-numeric names never exist in DNS; inet_aton refused this one.
            return .failure(.badIPv4)
        }
        guard isHostName(address) else { return .failure(.notAHost) }
        var name = address.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return .success(.name(name))
    }

    enum ListenAddressProblem: Error, Equatable {
        case url, hasPort, badIPv4, notAHost

        var reason: String {
            switch self {
            case .url: return "it is a URL, not an address"
            case .hasPort: return "it already has a port, and kms-server appends `listen_port` to it"
            case .badIPv4: return "it is not a valid IPv4 address"
            case .notAHost: return "it is neither an IP address nor a host name"
            }
        }
    }

    /// Letters, digits, `-` and `_` in dot-separated labels of at most 63 characters, 253 in all
    /// (one trailing dot allowed): a name getaddrinfo can look up.
    static func isHostName(_ text: String) -> Bool {
        var name = Substring(text)
        if name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty, name.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63
                && label.unicodeScalars.allSatisfy {
                    ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                        || $0 == "-" || $0 == "_"
                }
        }
    }

    /// Whether two listeners on the same port collide: the same address, or one of them a
    /// wildcard that covers the other (`0.0.0.0` covers IPv4; `::` covers everything, as Linux
    /// binds it dual-stack). Nil when a host name makes it depend on resolution.
    static func overlap(_ a: ListenHost, _ b: ListenHost) -> Bool? {
        switch (a, b) {
        case (.name(let x), .name(let y)): return x == y ? true : nil
        case (.name, _), (_, .name): return nil
        default:
            if a == b { return true }
            if case .ipv6 = a, a.isWildcard { return true }
            if case .ipv6 = b, b.isWildcard { return true }
            if case .ipv4 = a, case .ipv4 = b, a.isWildcard || b.isWildcard { return true }
            return false
        }
    }

    // MARK: Socket addresses (Rust's std parser)

    /// Rust's `SocketAddr::from_str`: `a.b.c.d:port` or `[v6]:port` (a numeric scope allowed).
    static func isSocketAddress(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":") else { return false }
        let port = text[text.index(after: colon)...]
        guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber),
            let number = Int(port), number <= 65535
        else { return false }
        let host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            let inner = host.dropFirst().dropLast()
            if let percent = inner.firstIndex(of: "%") {
                let scope = inner[inner.index(after: percent)...]
                guard !scope.isEmpty, scope.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
                return ipv6(String(inner[..<percent]), allowZone: false) != nil
            }
            return ipv6(String(inner), allowZone: false) != nil
        }
        return strictIPv4(host) != nil
    }

    /// Rust's `Ipv4Addr::from_str`: four decimal parts of 1–3 digits, no leading zeros, each ≤ 255.
    static func strictIPv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part.count == 1 || part.first != "0", let byte = UInt32(part), byte <= 255
            else { return nil }
            value = value << 8 | byte
        }
        return value
    }

    // MARK: IPv4 in the forms glibc and WHATWG accept

    /// glibc's `inet_aton` (exact, as getaddrinfo uses it): 1–4 numbers separated by dots,
    /// each decimal, octal (leading 0) or hex (`0x`); the last fills the remaining bytes.
    static func inetAton(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var numbers: [UInt64] = []
        for part in parts {
            guard let number = cNumber(part, emptyHexIsZero: false) else { return nil }
            numbers.append(number)
        }
        return combine(numbers)
    }

    /// The WHATWG IPv4 parser, used by `Url::parse` for a host whose last label is a number.
    /// Returns nil when the host is not an IPv4 address at all, `.failure` when it ends in a
    /// number but is not a valid IPv4 address.
    static func whatwgIPv4(_ host: String) -> Result<UInt32, HostFailure>? {
        var parts = host.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count > 1, parts.last?.isEmpty == true { parts.removeLast() }
        guard let last = parts.last, !last.isEmpty,
            last.allSatisfy({ $0.isASCII && $0.isNumber }) || cNumber(last, emptyHexIsZero: true) != nil
        else { return nil }
        guard parts.count <= 4 else { return .failure(.invalidIPv4) }
        var numbers: [UInt64] = []
        for part in parts {
            guard let number = cNumber(part, emptyHexIsZero: true) else { return .failure(.invalidIPv4) }
            numbers.append(number)
        }
        guard let value = combine(numbers) else { return .failure(.invalidIPv4) }
        return .success(value)
    }

    /// A number written as C's `strtoul(…, 0)` reads it: `0x…` hex, `0…` octal, else decimal.
    private static func cNumber(_ part: Substring, emptyHexIsZero: Bool) -> UInt64? {
        guard !part.isEmpty else { return nil }
        var digits = part
        var radix = 10
        if digits.count >= 2, digits.first == "0",
            digits.dropFirst().first == "x" || digits.dropFirst().first == "X"
        {
            digits = digits.dropFirst(2)
            radix = 16
            if digits.isEmpty { return emptyHexIsZero ? 0 : nil }
        } else if digits.count >= 2, digits.first == "0" {
            digits = digits.dropFirst()
            radix = 8
        }
        guard digits.count <= 20, let number = UInt64(digits, radix: radix) else { return nil }
        return number
    }

    /// `a`, `a.b`, `a.b.c`, `a.b.c.d`: every number but the last is a byte.
    private static func combine(_ numbers: [UInt64]) -> UInt32? {
        guard let last = numbers.last else { return nil }
        var value: UInt64 = 0
        for number in numbers.dropLast() {
            guard number <= 255 else { return nil }
            value = value << 8 | number
        }
        let remainingBits = UInt64(8 * (5 - numbers.count))
        guard last < (1 << remainingBits) else { return nil }
        return UInt32(value << remainingBits | last)
    }

    // MARK: IPv6

    /// An IPv6 literal: up to eight groups of 1–4 hex digits, one `::`, an optional trailing
    /// dotted IPv4, and (with `allowZone`) a `%zone` suffix as getaddrinfo accepts.
    static func ipv6(_ text: String, allowZone: Bool) -> [UInt16]? {
        var body = Substring(text)
        if let percent = body.firstIndex(of: "%") {
            guard allowZone, body.index(after: percent) < body.endIndex else { return nil }
            body = body[..<percent]
        }
        guard body.contains(":") else { return nil }
        let halves = body.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowIPv4, index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = strictIPv4(String(piece)) else { return nil }
                    result.append(UInt16(v4 >> 16))
                    result.append(UInt16(v4 & 0xFFFF))
                    continue
                }
                guard (1...4).contains(piece.count), let group = UInt16(piece, radix: 16) else { return nil }
                result.append(group)
            }
            return result
        }
        if halves.count == 2 {
            guard let head = groups(halves[0], allowIPv4: false),
                let tail = groups(halves[1], allowIPv4: true),
                head.count + tail.count <= 7
            else { return nil }
            return head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard let all = groups(halves[0], allowIPv4: true), all.count == 8 else { return nil }
        return all
    }

    enum HostFailure: Error, Equatable {
        case emptyHost, invalidIPv4, invalidIPv6, forbiddenCharacter(Character)
    }
}
