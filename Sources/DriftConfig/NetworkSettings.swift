/// `[network]`: this party's signed statement of the network-shared configuration, published
/// for the other parties, and the check of theirs each cycle (see "The network's agreement" in
/// the README).
package struct NetworkSettings: Sendable, Equatable {
    /// The network's keyring (network name, salt, each party's pinned public key).
    package var keyring: String
    /// The Ed25519 private key statements are signed with; default `[store] signing_key`.
    package var key: String?
    /// Where this party's statement is written (atomically) when its shared part changes and at least daily.
    package var publish: String?
    /// The other parties' statements: files, directories of `*.json`, or URLs.
    package var statements: [String] = []
    /// The party's kms-server config inside the watched directory; default: `[effective]`'s
    /// effective configuration, else `[validate] kms_config`.
    package var kmsConfig: String?
    /// Publish the shared values beside their digests.
    package var withValues = false
    /// A statement older than this is stale.
    package var maximumAge: Duration = .seconds(2 * 86_400)
    /// Publish at least this often, changed or not, so silence means a stopped party.
    package var publishEvery: Duration = .seconds(86_400)
    /// Fetch statement URLs that are not on this host.
    package var allowRemote = false
    /// How long the fetch of each statement URL may take.
    package var timeout: Duration = .seconds(5)

    package init(keyring: String) { self.keyring = keyring }

    /// Reads the `[network]` table; nil when it is absent.
    static func parse(
        _ table: inout ConfigurationReader, present: Bool, hasConfigSource: Bool, resolve: (String) -> String
    ) throws(DriftConfigurationError) -> NetworkSettings? {
        let keyring = try table.string("keyring")
        let key = try table.string("key")
        let publish = try table.string("publish")
        let statements = try table.strings("statements") ?? []
        let kmsConfig = try table.string("kms_config")
        let withValues = try table.boolean("with_values") ?? false
        let maximumAge = try table.integer("max_age_seconds", range: 60...(366 * 86_400))
        let publishEvery = try table.integer("publish_every_seconds", range: 60...(30 * 86_400))
        let allowRemote = try table.boolean("allow_remote") ?? false
        let timeout = try table.integer("timeout_seconds", range: 1...300)
        try table.rejectUnknownKeys()
        guard present else { return nil }
        guard let keyring else {
            throw DriftConfigurationError(
                file: table.file, line: table.table.location.line, column: table.table.location.column,
                reason: .missingKey("network.keyring"))
        }
        if publish == nil && statements.isEmpty {
            throw table.invalid(
                "publish", "[network] does nothing without publish = \"FILE\" or statements = [\"DIR\"]")
        }
        if kmsConfig == nil && !hasConfigSource {
            throw table.invalid(
                "kms_config",
                "give the party's kms-server config: kms_config = \"kms-server.toml\" (inside [watch] directory), "
                    + "or [effective] or [validate] kms_config")
        }
        var settings = NetworkSettings(keyring: resolve(keyring))
        settings.key = key.map(resolve)
        settings.publish = publish.map(resolve)
        settings.statements = statements.map { Self.isURL($0) ? $0 : resolve($0) }
        settings.kmsConfig = kmsConfig
        settings.withValues = withValues
        if let maximumAge { settings.maximumAge = .seconds(maximumAge) }
        if let publishEvery { settings.publishEvery = .seconds(publishEvery) }
        settings.allowRemote = allowRemote
        if let timeout { settings.timeout = .seconds(timeout) }
        return settings
    }

    static func isURL(_ text: String) -> Bool {
        ["http://", "https://", "http+unix://"].contains { text.hasPrefix($0) }
    }
}
