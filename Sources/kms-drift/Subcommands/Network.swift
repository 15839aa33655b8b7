import ArgumentParser
import DriftOperations
import NetworkAgreement

extension KMSDrift {
    /// `kms-drift network`: the parties' statements, checked together.
    struct Network: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "network",
            abstract: "Check that the parties of the network state the same shared configuration.",
            subcommands: [Check.self])

        /// `kms-drift network check STATEMENTS… --keyring FILE`.
        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "check",
                abstract:
                    "Verify the parties' signed statements and say who agrees, who differs and on what.",
                discussion: """
                    Reads statements (files, directories of *.json, or URLs), verifies each against the keyring (each party's pinned public key), and names every party that differs and on which component, is missing, stale, unsigned, signed by the wrong key, or replayed (a sequence number not above the last one seen, kept with --state). The reference is this party's statement with --self N, else per component the value most parties state. Exit status: 0 all agree, 1 a disagreement or a missing or invalid statement, 2 error.
                    """)

            @Argument(help: "Statement files, directories holding them, or http(s) URLs.")
            var statements: [String]

            @Option(
                name: .long,
                help: ArgumentHelp(
                    "The network's keyring (network name, salt, pinned keys).", valueName: "file"))
            var keyring: String

            @Option(
                name: .customLong("self"),
                help: ArgumentHelp(
                    "Compare with this party's statement instead of the majority.", valueName: "party-id"))
            var selfParty: Int64?

            @Option(
                name: .customLong("max-age"),
                help: ArgumentHelp("A statement older than this is stale (48h, 2d, 90m).", valueName: "age"))
            var maximumAge: String = "48h"

            @Option(
                name: .long,
                help: ArgumentHelp(
                    "Keep the last sequence number seen per party here (replay detection).", valueName: "file"
                ))
            var state: String?

            @Flag(name: .customLong("allow-remote"), help: "Fetch URLs that are not on this host (https).")
            var allowRemote = false

            @Option(
                name: .customLong("timeout"),
                help: ArgumentHelp("Seconds to wait for each URL.", valueName: "seconds"))
            var timeoutSeconds: Int64 = 5

            @Option(name: .long, help: "Output format: text for people, json for machines.")
            var format: ReportFormat = .text

            func run() throws {
                var check = NetworkAgreementCheck(statements: statements, keyringPath: keyring)
                check.selfParty = selfParty
                check.maximumAge = maximumAge
                check.statePath = state
                check.allowRemote = allowRemote
                check.timeout = .seconds(timeoutSeconds)
                let result = try check.run()
                Terminal.writeOutput(
                    format == .json
                        ? NetworkReportRenderer.json(result.report)
                        : NetworkReportRenderer.text(result.report))
                try Diagnostics.exit(with: result.exitStatus)
            }
        }
    }
}
