import ArgumentParser
import DriftCore
import EffectiveConfig
import KMSValidation

extension KMSDrift {
    /// `kms-drift fingerprint FILE`: one line to compare with the other operators.
    struct Fingerprint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fingerprint",
            abstract: "Print a hash of the network-shared part of a party's config.",
            discussion: """
                Every party of a network must print the same line. Party-local values (my_id, paths, \
                storage prefixes, telemetry, own ports and addresses, own TLS cert/key) do not change it; \
                any shared value does. Exit status: 0 printed, 2 unreadable or invalid TOML.
                """)

        @Argument(help: "A kms-server config (or none with --pid / --config-file).", completion: .file())
        var file: String?

        @OptionGroup(title: "What kms-server runs") var sources: SourceOptions

        func validate() throws {
            if file == nil && sources.configFile == nil && sources.pid == nil {
                throw ValidationError("give a kms-server config file, --config-file FILE or --pid PID")
            }
        }

        @OptionGroup var limit: InputLimitOptions

        func run() throws {
            let config = try sources.partyConfiguration(file, maximumSize: limit.maximumSize.bytes)
            Terminal.writeOutput(NetworkFingerprint.fingerprint(of: config.root) + "\n")
        }
    }
}
