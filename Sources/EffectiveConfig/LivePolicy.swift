/// Which `GET /config` URLs kms-drift fetches without `--allow-remote`: plain `http://` to a
/// loopback address (the metrics port of a process on the same node) or a unix socket
/// (`http+unix://`, `unix://`). The configuration must not leave the node, so anything else is
/// refused before a connection is made.
package enum LivePolicy {
    package static func check(_ url: String, allowRemote: Bool) throws(EffectiveConfigError) {
        guard !allowRemote else { return }
        let lowered = url.lowercased()
        if lowered.hasPrefix("http+unix://") || lowered.hasPrefix("unix://") { return }
        guard lowered.hasPrefix("http://") else {
            throw .remoteURL(
                url: url, reason: "only http:// to a loopback address or a unix socket is fetched by default")
        }
        guard let host = host(of: url), isLoopback(host) else {
            throw .remoteURL(
                url: url, reason: "the host is not a loopback address (127.0.0.0/8, ::1, localhost)")
        }
    }

    static func host(of url: String) -> String? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        var authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        return String(authority.prefix { $0 != ":" })
    }

    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "0:0:0:0:0:0:0:1" { return true }
        let parts = lowered.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }
}
