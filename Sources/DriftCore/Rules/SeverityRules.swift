/// The one table that says how severe a difference at a key path is.
///
/// Rules are tried in order and the first matching pattern wins, so specific rules come
/// before the general rule of their section. A path no rule names is a `warning`: an
/// unknown change to a node's configuration deserves a look, not silence.
public struct SeverityRules: Sendable {
    public struct Rule: Sendable {
        public let pattern: KeyPathPattern
        public let severity: Severity
    }

    public let rules: [Rule]
    public let fallback: Severity

    public init(rules: [Rule], fallback: Severity = .warning) {
        self.rules = rules
        self.fallback = fallback
    }

    /// The severity of a difference at `path`.
    public func severity(of path: KeyPath) -> Severity {
        rules.first { $0.pattern.matches(path) }?.severity ?? fallback
    }

    /// The rules for kms-server configurations (both the operators' guide's documented format
    /// and the format kms-server really accepts), from DESIGN.md and the KMS schema notes.
    public static let kms = SeverityRules(rules: [
        // Who the node trusts and how many of them must agree.
        rule("threshold.threshold", .critical),  // changes how many parties must agree
        rule("threshold.peers", .critical),  // changes who this node talks to and trusts
        rule("threshold.my_id", .critical),  // changes which party this node claims to be
        rule("threshold.tls", .critical),  // changes the TLS material or mode between parties
        rule("threshold.decryption_mode", .critical),  // must be identical on every party
        rule("service.tls_cert_path", .critical),  // TLS material (operators' guide format)
        rule("service.tls_key_path", .critical),  // TLS material (operators' guide format)
        rule("*.tls", .critical),  // TLS material or mode
        rule("*.tls_*", .critical),  // TLS material or mode
        // Where the keys live and what protects them.
        rule("*_vault.storage", .critical),  // changes where key material is stored
        rule("*_vault.keychain", .critical),  // changes what encrypts key material at rest
        rule("*_vault", .critical),  // vault configuration
        rule("aws", .critical),  // changes the AWS account, region or endpoints behind storage and keys
        rule("mock_enclave", .critical),  // a mock enclave disables attestation
        rule("**.log", .info),  // log settings
        rule("**.log_*", .info),  // log settings
        // Behaviour, and values every party must share.
        rule("service", .warning),  // the node's client-facing endpoint
        rule("threshold", .warning),  // MPC listener and protocol parameters
        rule("rate_limiter_conf", .warning),  // must be identical on every party
        rule("internal_config", .warning),  // must be identical on every party
        rule("enclave_bootstrap", .warning),  // enclave start-up
        rule("bandwidth_benchmark", .warning),  // benchmark limits
        rule("migration", .warning),  // one-time context migration
        // Observability.
        rule("telemetry.tracing_endpoint", .warning),  // where traces (and their metadata) are sent
        rule("telemetry", .info),  // telemetry names and export settings
    ])

    private static func rule(_ pattern: String, _ severity: Severity) -> Rule {
        // The table above is written here and covered by tests; a typo is a programming error.
        guard let parsed = try? KeyPathPattern(pattern) else {
            preconditionFailure("invalid built-in severity pattern \(pattern)")
        }
        return Rule(pattern: parsed, severity: severity)
    }
}
