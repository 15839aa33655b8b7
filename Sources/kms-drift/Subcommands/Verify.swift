import ArgumentParser
import DriftConfig
import FileSystem
import SnapshotStore

extension KMSDrift {
    /// `kms-drift verify`: is the history intact, and is it the history that was witnessed?
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
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
            let key = try publicKey.map { path throws(ChainKeyError) in try ChainPublicKey.load(path: path) }
            var witnesses = expectHead.compactMap { ChainWitness.parseHead($0, source: "--expect-head") }
            for file in witness {
                let text: [UInt8]
                do {
                    text = try FileContents.read(file)
                } catch {
                    throw CommandLineError("cannot read the witness file \(file): \(error)")
                }
                let found = ChainWitness.parseFile(String(decoding: text, as: UTF8.self), name: file)
                guard !found.isEmpty else {
                    throw CommandLineError(
                        "\(file) holds no chain head (a line with chain=sha256:… or sha256:…); nothing to check"
                    )
                }
                witnesses += found
            }
            let store = try location.openStore(configuration)
            let problems = try store.verify()
            let chain = try store.verifyChain(publicKey: key, witnesses: witnesses)
            for problem in problems { Terminal.writeError("damaged: \(problem)\n") }
            for problem in chain.problems { Terminal.writeError("chain: \(problem)\n") }
            if let first = chain.problems.first {
                let place = chain.firstBadSnapshot.map { " at snapshot \($0)" } ?? ""
                throw CommandLineError("the history is not intact\(place): \(first.message)")
            }
            guard problems.isEmpty else {
                throw CommandLineError("\(problems.count) problem(s) in \(configuration.databasePath)")
            }
            let held = try store.listSnapshots().count
            Terminal.writeOutput(
                "ok: \(configuration.databasePath) passed integrity_check; every stored file of "
                    + "\(held) snapshots re-hashed to its recorded SHA-256\n")
            Terminal.writeOutput(Self.chainLine(chain, publicKey: publicKey))
            for (witness, snapshot) in chain.confirmedWitnesses {
                Terminal.writeOutput(
                    "ok: \(witness.chainHash) from \(witness.source) is snapshot \(snapshot)'s link\n")
            }
        }

        static func chainLine(_ chain: ChainVerification, publicKey: String?) -> String {
            guard let head = chain.head else { return "ok: the chain is empty (no snapshot taken yet)\n" }
            let rotated = chain.links.count - chain.heldLinks
            var line =
                "ok: chain of \(chain.links.count) links intact (\(chain.heldLinks) held, \(rotated) rotated); "
                + "head \(head.snapshot) \(head.chainHash)"
            if let publicKey {
                line += "; \(chain.signedLinks) signatures verified with \(publicKey)"
                let unsigned = chain.links.count - chain.signedLinks
                if unsigned > 0 {
                    line += " (\(unsigned) older links unsigned, covered by the first signed one)"
                }
            }
            return line + "\n"
        }
    }
}
