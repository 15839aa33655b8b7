import DriftConfig
import FileSystem
import SigningKeys
import SnapshotStore

/// `verify`: is the history intact (the database, every stored file's hash, the chain), and is it
/// the history that was witnessed outside the database?
package struct HistoryVerification: Sendable {
    package let configuration: DriftConfiguration
    /// `--public-key`: the key every signed link must verify with; shown in the report as given.
    package let publicKeyPath: String?
    /// `--expect-head`: chain heads (sha256:…) that must be in the chain, already checked to parse.
    package let expectedHeads: [String]
    /// `--witness`: files of witnessed heads (a journal), every `chain=sha256:…` in them must be in the chain.
    package let witnessFiles: [String]

    package init(
        configuration: DriftConfiguration, publicKeyPath: String? = nil, expectedHeads: [String] = [],
        witnessFiles: [String] = []
    ) {
        self.configuration = configuration
        self.publicKeyPath = publicKeyPath
        self.expectedHeads = expectedHeads
        self.witnessFiles = witnessFiles
    }

    /// What `verify` found.
    package struct Result: Sendable {
        /// Damage to the database or to stored files.
        package let storeProblems: [VerificationProblem]
        package let chain: ChainVerification
        /// The number of snapshots held.
        package let heldSnapshots: Int
        package let database: String
        package let publicKeyPath: String?

        /// 0 intact, 2 damage found: a damaged history is an error, not a finding.
        package var exitStatus: ExitStatus {
            .failure(if: !chain.problems.isEmpty || !storeProblems.isEmpty)
        }
    }

    /// Reads the key and the witnesses first, then opens the history with `openStore` (so a wrong
    /// flag fails before the database is touched) and checks it all.
    package func run(openStore: () throws -> SnapshotStore) throws -> Result {
        let key = try publicKeyPath.map { path throws(ChainKeyError) in try ChainPublicKey.load(path: path) }
        var witnesses = expectedHeads.compactMap { ChainWitness.parseHead($0, source: "--expect-head") }
        for file in witnessFiles {
            let text: [UInt8]
            do {
                text = try FileContents.read(file)
            } catch {
                throw OperationError("cannot read the witness file \(file): \(error)")
            }
            let found = ChainWitness.parseFile(String(decoding: text, as: UTF8.self), name: file)
            guard !found.isEmpty else {
                throw OperationError(
                    "\(file) holds no chain head (a line with chain=sha256:… or sha256:…); nothing to check")
            }
            witnesses += found
        }
        let store = try openStore()
        let problems = try store.verify()
        let chain = try store.verifyChain(publicKey: key, witnesses: witnesses)
        // Counted only when intact, as it is reported only then.
        let held = problems.isEmpty && chain.problems.isEmpty ? try store.listSnapshots().count : 0
        return Result(
            storeProblems: problems, chain: chain, heldSnapshots: held, database: configuration.databasePath,
            publicKeyPath: publicKeyPath)
    }
}
