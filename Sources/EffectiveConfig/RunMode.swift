/// kms-server's `ExecutionEnvironment`, chosen by `RUN_MODE`: it names the
/// `config/kms_core-<mode>.*` layer. Unknown or unset values mean `local`, as in
/// `observability/src/conf.rs` (`from_str(…).unwrap_or_default()`), and the match is case-sensitive.
package enum RunMode: String, Sendable, CaseIterable {
    case local
    case dev
    case stage
    case prod
    case integration

    /// The mode kms-server uses for a `RUN_MODE` value (`nil`: unset), and whether the value was
    /// one it knows.
    package static func resolve(_ value: String?) -> (mode: RunMode, recognised: Bool) {
        guard let value else { return (.local, true) }
        if let mode = RunMode(rawValue: value) { return (mode, true) }
        return (.local, false)
    }
}
