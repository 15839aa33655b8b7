import ArgumentParser
import DriftCore
import DriftOperations
import NetworkAgreement

extension KMSDrift {
    /// `kms-drift statement FILE`: this party's signed statement of the network-shared configuration.
    struct StatementCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "statement",
            abstract: "Write this party's signed statement of the network-shared part of its configuration.",
            discussion: """
                A small JSON document (kms-drift.statement/1): the party id, the time, a sequence number, the history's chain head (--db), and a salted digest per network-shared component: the threshold, the decryption mode, the peer list and each peer's address, port, mpc_identity and certificate (its SHA-256). Signed with the party's Ed25519 key (kms-drift keygen); the keyring gives the network's name and salt. Per-party values (my_id, storage, telemetry, own TLS key) are never in it; --with-values adds the shared values, which every party holds anyway. Exit status: 0 written, 2 error.
                """)

        @Argument(help: "The party's kms-server config (or none with --pid / --config-file).")
        var file: String?

        @OptionGroup(title: "What kms-server runs") var sources: SourceOptions

        @Option(
            name: .long,
            help: ArgumentHelp("The party's Ed25519 private key (kms-drift keygen).", valueName: "file"))
        var key: String

        @Option(
            name: .long,
            help: ArgumentHelp("The network's keyring (network name, salt, pinned keys).", valueName: "file"))
        var keyring: String

        @Option(name: .long, help: "The statement's sequence number, above the party's previous one.")
        var sequence: Int64?

        @Option(
            name: .customLong("sequence-file"),
            help: ArgumentHelp(
                "Keep the last sequence number in this file and use the next one.", valueName: "file"))
        var sequenceFile: String?

        @Option(name: .customLong("party-id"), help: "The party (default: threshold.my_id of the config).")
        var partyID: Int64?

        @Option(
            name: .long,
            help: ArgumentHelp("A kms-drift store whose chain head the statement carries.", valueName: "file")
        )
        var db: String?

        @Flag(name: .customLong("with-values"), help: "Include the shared values beside their digests.")
        var withValues = false

        @Option(
            name: .shortAndLong,
            help: ArgumentHelp("Write the statement here atomically instead of to stdout.", valueName: "file")
        )
        var output: String?

        @Option(name: .long, help: ArgumentHelp("The statement's time (tests).", visibility: .hidden))
        var time: String?

        @OptionGroup var limit: InputLimitOptions

        func validate() throws {
            if file == nil && sources.configFile == nil && sources.pid == nil {
                throw ValidationError(
                    "give the party's kms-server config file, --config-file FILE or --pid PID")
            }
        }

        func run() throws {
            let config = try sources.partyConfiguration(file, maximumSize: limit.maximumSize.bytes)
            var request = StatementRequest(keyPath: key, keyringPath: keyring)
            if let time {
                guard let seconds = NetworkCheck.seconds(fromTimestamp: time) else {
                    throw ValidationError("--time \(time) is not like 2026-12-06T20:00:00Z")
                }
                request.time = seconds
            }
            request.sequence = sequence
            request.sequenceFile = sequenceFile
            request.partyID = partyID
            request.chainHeadSource = db.map(StoreChainHead.init(databasePath:))
            request.withValues = withValues
            // Relative certificate paths are kms-server's: relative to its working directory.
            let base = sources.workdir ?? sources.pid.map { "/proc/\($0)/cwd" } ?? "."
            let statement = try request.make(root: config.root, certificateBase: base)
            if let output {
                try StatementFile.write(statement.json(), to: output)
                Diagnostics.note(
                    "wrote \(output): party \(statement.partyID), sequence \(statement.sequence), "
                        + "\(statement.components.count) components")
            } else {
                Terminal.writeOutput(statement.json())
            }
        }
    }
}
