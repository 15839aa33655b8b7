import AsyncHTTPClient
import EffectiveConfig
import NIOCore

/// Fetches what a running kms-server reports on `GET /config`, through AsyncHTTPClient.
///
/// Linked only by the `kms-drift-live` helper executable, never by `kms-drift` itself: NIO and
/// Foundation would add to the start-up of every command (`check` runs from CI loops and cron).
/// `kms-drift` runs the helper through `LiveFetch`.
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

    /// Refuses a URL the policy does not allow (`LivePolicy`); called before any connection is made.
    public func checkPolicy() throws(EffectiveConfigError) {
        try LivePolicy.check(url, allowRemote: allowRemote)
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
}
