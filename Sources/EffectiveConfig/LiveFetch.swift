/// Fetches what a running kms-server reports on `GET /config`, in this process, through
/// libcurl loaded on first use (`HTTPGet`): no command that does not fetch pays for it.
///
/// By default only plain `http://` to a loopback address (the metrics port of a process on the
/// same node) or a unix socket (`http+unix://`) is fetched: the configuration must not leave
/// the node (`LivePolicy`). Anything else needs `allowRemote`. No redirect is followed, the body
/// is capped (`HTTPGet.defaultBodyLimit`) and so is the time, and an error says which limit it hit.
package struct LiveFetch: Sendable {
    package let url: String
    /// How long the whole fetch may take.
    package let timeout: Duration
    package let allowRemote: Bool
    /// The largest body accepted, in bytes.
    package let bodyLimit: Int

    package init(
        url: String, timeout: Duration = .seconds(5), allowRemote: Bool = false, bodyLimit: Int? = nil
    ) {
        self.url = url
        self.timeout = timeout
        self.allowRemote = allowRemote
        self.bodyLimit = bodyLimit ?? HTTPGet.defaultBodyLimit
    }

    /// Refuses a URL the policy does not allow; called before any connection is made.
    package func checkPolicy() throws(EffectiveConfigError) {
        try LivePolicy.check(url, allowRemote: allowRemote)
    }

    /// The body of `GET url`, or an error saying why not (policy, timeout, size, redirect,
    /// refused connection, HTTP status).
    package func fetchBody() throws(EffectiveConfigError) -> [UInt8] {
        try checkPolicy()
        do {
            return try HTTPGet(
                url: url, timeout: timeout, bodyLimit: bodyLimit, allowTLS: allowRemote
            )
            .run()
        } catch {
            throw .live(url: url, reason: error.description)
        }
    }

    /// The live configuration: fetched, then parsed (a JSON string holding the document, or the document).
    package func fetch() throws(EffectiveConfigError) -> EffectiveConfiguration {
        try LiveConfiguration.parse(try fetchBody(), source: url)
    }
}
