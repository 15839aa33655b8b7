/// Where in its start kms-server refuses a configuration. A `validate` error always names one,
/// so an operator knows how far kms-server gets with the file: config-rs and serde parse it,
/// `CoreConfig::validate()` checks the `#[validate]` attributes, then `main_exec` builds
/// listeners, storage and TLS (`core/service/src/bin/kms-server.rs`).
package enum RefusalStage: Sendable, Equatable {
    /// config-rs or serde refuses the file: a wrong type after config-rs's conversions, a number
    /// outside the Rust type, an unknown or missing key, a bad enum value, URL, hex or address.
    case parsing
    /// The file parses, then `validate()` refuses it: a `#[validate(range|length)]` attribute that
    /// runs (its struct is reached through `#[validate(nested)]`), or the threshold rules.
    case validation
    /// Parsed and validated, then start-up fails; the text says what fails.
    case startUp(String)
    /// kms-server starts, but every mTLS handshake with a party fails (rustls/webpki check a
    /// certificate's validity at each handshake, tls.rs:296 and :397); the text names the party.
    case handshake(String)
    /// kms-server starts in degraded mode: its MPC context fails `ContextInfo::verify`
    /// (context.rs:497-505), it logs "Server will continue in degraded mode (recovery operations
    /// only)" (kms_impl.rs:758-763) and serves no MPC request.
    case degraded

    /// The words a finding starts with: "refused when parsed", "refused by validation",
    /// "fails at start-up: …".
    package var phrase: String {
        switch self {
        case .parsing: return "refused when parsed"
        case .validation: return "refused by validation"
        case .startUp(let what): return "fails at start-up: \(what)"
        case .handshake(let party): return "every handshake with \(party) fails"
        case .degraded:
            return "the server starts in degraded mode (recovery operations only) and serves no MPC request"
        }
    }

    /// A short name for machines (`validate --format json`): `parsing`, `validation`, `start-up`,
    /// `handshake`, `degraded`.
    package var name: String {
        switch self {
        case .parsing: return "parsing"
        case .validation: return "validation"
        case .startUp: return "start-up"
        case .handshake: return "handshake"
        case .degraded: return "degraded"
        }
    }
}
