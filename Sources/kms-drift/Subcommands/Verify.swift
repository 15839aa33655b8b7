import ArgumentParser
import DriftOperations
import SnapshotStore

extension KMSDrift {
    /// `kms-drift verify`: is the history intact, and is it the history that was witnessed?
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check the database, re-hash every stored file, and re-check the hash chain.",
            discussion: """
                Every chain link must follow the one before it and hash to its metadata and manifest; every \
                held snapshot's files must still hash to the manifest that was chained. With --public-key every \
                signature is checked too; with --expect-head or --witness the recorded history must contain \
                heads seen outside the database (a log line's chain=sha256:…, a metrics scrape).

                Exit status: 0 intact, 2 damage found (the first bad snapshot and what is wrong are named).
                """)

        @OptionGroup var location: StoreOptions

        @Option(
            name: .long,
            help: "The public key (kms-drift keygen's FILE.pub) that must have signed the chain.",
            completion: .file())
        var publicKey: String?

        @Option(name: .long, help: "A chain head (sha256:…) that must be in the chain (repeatable).")
        var expectHead: [String] = []

        @Option(
            name: .long,
            help:
                "A file of witnessed heads, e.g. journalctl -u kms-drift output: every chain=sha256:… in it must be in the chain (repeatable).",
            completion: .file())
        var witness: [String] = []

        func validate() throws {
            for head in expectHead where ChainWitness.parseHead(head, source: "--expect-head") == nil {
                throw ValidationError("--expect-head \(head) is not sha256: followed by 64 hex digits")
            }
        }

        func run() throws {
            let configuration = try location.configuration(requireDirectory: false)
            let result = try HistoryVerification(
                configuration: configuration, publicKeyPath: publicKey, expectedHeads: expectHead,
                witnessFiles: witness
            ).run(openStore: { try location.openStore(configuration) })
            Terminal.writeError(HistoryVerificationText.problems(result))
            if let failure = HistoryVerificationText.failure(result) {
                Diagnostics.report(failure)
            } else {
                Terminal.writeOutput(HistoryVerificationText.report(result))
            }
            try Diagnostics.exit(with: result.exitStatus)
        }
    }
}
