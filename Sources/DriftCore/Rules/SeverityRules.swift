import FileSystem

/// The one table that says how severe a difference is: at a key path inside a TOML file, and
/// for a whole file (added, removed, a non-TOML file changed) by its path.
///
/// Rules are tried in order and the first matching pattern wins, so specific rules come
/// before the general rule of their section. A path no rule names is a `warning`: an
/// unknown change to a node's configuration deserves a look, not silence.
package struct SeverityRules: Sendable {
    package struct Rule: Sendable {
        package let pattern: KeyPathPattern
        package let severity: Severity
    }

    /// A rule over file paths relative to the compared directory (gitignore globs).
    package struct FileRule: Sendable {
        package let pattern: PathGlob
        package let severity: Severity
    }

    package let rules: [Rule]
    package let fallback: Severity
    package let fileRules: [FileRule]
    package let fileFallback: Severity

    package init(
        rules: [Rule], fallback: Severity = .warning, fileRules: [FileRule] = [],
        fileFallback: Severity = .warning
    ) {
        self.rules = rules
        self.fallback = fallback
        self.fileRules = fileRules
        self.fileFallback = fileFallback
    }

    /// The severity of a difference at `path`.
    package func severity(of path: KeyPath) -> Severity {
        rules.first { $0.pattern.matches(path) }?.severity ?? fallback
    }

    /// The severity of a file-level change to `relativePath`.
    package func severity(ofFileAt relativePath: String) -> Severity {
        fileRules.first { $0.pattern.matches(relativePath) }?.severity ?? fileFallback
    }

    /// The rules for kms-server configurations (both the operators' guide's documented format
    /// and the format kms-server really accepts), from DESIGN.md and the KMS schema notes.
    package static let kms = SeverityRules(
        rules: [
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
        ],
        fileRules: [
            // Key material, certificates and the configuration itself; any other file is a warning.
            fileRule("*.pem", .critical), fileRule("*.crt", .critical), fileRule("*.cert", .critical),
            fileRule("*.key", .critical), fileRule("*.p12", .critical), fileRule("*.pfx", .critical),
            fileRule("*.der", .critical), fileRule("*.jks", .critical), fileRule("*.toml", .critical),
        ])

    private static func rule(_ pattern: String, _ severity: Severity) -> Rule {
        // The table above is written here and covered by tests; a typo is a programming error.
        guard let parsed = try? KeyPathPattern(pattern) else {
            preconditionFailure("invalid built-in severity pattern \(pattern)")
        }
        return Rule(pattern: parsed, severity: severity)
    }

    private static func fileRule(_ pattern: String, _ severity: Severity) -> FileRule {
        guard let parsed = try? PathGlob(pattern) else {
            preconditionFailure("invalid built-in file severity pattern \(pattern)")
        }
        return FileRule(pattern: parsed, severity: severity)
    }
}
