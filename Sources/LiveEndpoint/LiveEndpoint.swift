import AsyncHTTPClient
import EffectiveConfig
import NIOCore

/// Fetches what a running kms-server reports on `GET /config`, through AsyncHTTPClient.
///
/// By default only plain `http://` to a loopback address (the metrics port of a process on the
/// same node) or a unix socket (`http+unix://`) is fetched: the configuration must not leave
/// the node. Anything else needs `allowRemote`.
public struct LiveEndpoint: Sendable {
    public let url: String
    public let timeoutSeconds: Int64
    public let allowRemote: Bool

    public init(url: String, timeoutSeconds: Int64 = 5, allowRemote: Bool = false) {
        self.url = url
        self.timeoutSeconds = timeoutSeconds
        self.allowRemote = allowRemote
    }

    /// Refuses a URL the policy does not allow; called before any connection is made.
    public func checkPolicy() throws(EffectiveConfigError) {
        guard !allowRemote else { return }
        let lowered = url.lowercased()
        if lowered.hasPrefix("http+unix://") || lowered.hasPrefix("unix://") { return }
        guard lowered.hasPrefix("http://") else {
            throw .remoteURL(
                url: url, reason: "only http:// to a loopback address or a unix socket is fetched by default")
        }
        guard let host = Self.host(of: url), Self.isLoopback(host) else {
            throw .remoteURL(
                url: url, reason: "the host is not a loopback address (127.0.0.0/8, ::1, localhost)")
        }
    }

    /// The body of `GET url`, or an error saying why not (timeout, refused, HTTP status).
    public func fetchBody() throws(EffectiveConfigError) -> [UInt8] {
        try checkPolicy()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { try? client.syncShutdown() }
        do {
            let request = try HTTPClient.Request(url: url, method: .GET)
            let response = try client.execute(
                request: request, deadline: .now() + .seconds(timeoutSeconds)
            ).wait()
            guard response.status.code == 200 else {
                throw EffectiveConfigError.live(
                    url: url, reason: "HTTP status \(response.status.code) \(response.status.reasonPhrase)")
            }
            guard var body = response.body else { return [] }
            return body.readBytes(length: body.readableBytes) ?? []
        } catch let error as EffectiveConfigError {
            throw error
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout
            || error == .connectTimeout
        {
            throw .live(url: url, reason: "no answer within \(timeoutSeconds) s")
        } catch {
            throw .live(url: url, reason: "\(error)")
        }
    }

    /// The live configuration: fetched, then parsed (a JSON string holding the document, or the document).
    public func fetch() throws(EffectiveConfigError) -> EffectiveConfiguration {
        try LiveConfiguration.parse(try fetchBody(), source: url)
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
