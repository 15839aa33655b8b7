import ArgumentParser
import DriftCore

extension KMSDrift {
    /// `kms-drift fingerprint FILE`: one line to compare with the other operators.
    struct Fingerprint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a hash of the network-shared part of a party's config.",
            discussion: """
                Every party of a network must print the same line. Party-local values (my_id, paths,
                storage prefixes, telemetry, own ports and addresses, own TLS cert/key) do not change it;
                any shared value does. Exit status: 0 printed, 2 unreadable or invalid TOML.
                """)

        @Argument(help: "A kms-server config.")
        var file: String

        @OptionGroup var limit: InputLimitOptions

        func run() throws {
            let config = try ConfigFile.load(file, maximumSize: limit.maximumSize.bytes)
            Terminal.writeOutput(NetworkFingerprint.fingerprint(of: config.root) + "\n")
        }
    }
}
