import ArgumentParser
import DriftCore
import DriftOperations
import EffectiveConfig

/// Output formats of `effective`.
enum EffectiveFormat: String, ExpressibleByArgument, CaseIterable {
    case toml
    case json
}

extension KMSDrift {
    /// `kms-drift effective`: the configuration kms-server really runs, built as its loader builds it.
    struct Effective: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "effective",
            abstract: "Print the configuration kms-server really runs: layers, environment, process.",
            discussion: """
                Merges config/default.*, config/kms_core.*, config/kms_core-<RUN_MODE>.* (relative to the \
                working directory), /etc/config/kms_core.toml and the --config-file, later layers winning, \
                tables merged deeply and arrays replaced whole; then KMS_CORE__* variables (KMS_CORE__A__B \
                sets a.b), converted to the schema's types. --show-origin puts each value's source beside it. \
                With --url, prints instead what the running process reports on GET /config (computed at its \
                start): only http:// to loopback or a unix socket unless --allow-remote.

                Exit status: 0 printed, 2 error.
                """)

        @OptionGroup var sources: SourceOptions

        /// The old spelling of `--inherit-env`, kept hidden for one release (`validate --env` names
        /// an environment's policy: one meaning per flag name).
        @Flag(name: .customLong("env"), help: .hidden)
        var legacyInheritEnvironment = false

        @Option(
            name: .long,
            help: "Fetch what runs from kms-server's GET /config (e.g. http://127.0.0.1:9464/config).")
        var url: String?

        @Option(name: .long, help: "Seconds to wait for --url.")
        var timeout: Int64 = 5

        @Flag(name: .customLong("allow-remote"), help: "Allow --url to a non-loopback host or https.")
        var allowRemote = false

        @Flag(name: .customLong("show-origin"), help: "Show each value's file:line or environment variable.")
        var showOrigin = false

        @Option(name: .long, help: "Output format: toml or json.")
        var format: EffectiveFormat = .toml

        @Flag(name: .long, help: "Show secret values in clear instead of their keyed hmac: fingerprint.")
        var showSecrets = false

        func run() throws {
            let configuration: EffectiveConfiguration
            if let url {
                configuration = try LiveFetch(url: url, timeout: .seconds(timeout), allowRemote: allowRemote)
                    .fetch()
            } else {
                configuration = try EffectiveLoading.build(
                    sources.sources(
                        inheritEnvironment: RenamedFlag.inheritEnvironment.used(legacyInheritEnvironment),
                        searchesLayersByDefault: true),
                    note: Diagnostics.note)
            }
            let secrets = SecretPolicy(showSecrets: showSecrets)
            switch format {
            case .toml:
                Terminal.writeOutput(configuration.toml(showOrigin: showOrigin, secrets: secrets))
            case .json:
                let text = try EffectiveJSON.render(configuration, showOrigin: showOrigin, secrets: secrets)
                Terminal.writeOutput(text)
            }
        }
    }
}
