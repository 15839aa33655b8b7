import ArgumentParser
import DriftConfig
import SnapshotStore

extension KMSDrift {
    /// `kms-drift verify`: is the history intact?
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the database (integrity_check) and re-hash every stored file.",
            discussion: "Exit status: 0 intact, 2 damage found (each damaged snapshot and path is named).")

        @OptionGroup var location: StoreOptions

        func run() throws {
            let configuration = try location.configuration(requireDirectory: false)
            let store = try location.openStore(configuration)
            let problems = try store.verify()
            let snapshots = try store.listSnapshots()
            guard problems.isEmpty else {
                for problem in problems { Terminal.writeError("damaged: \(problem)\n") }
                throw CommandLineError("\(problems.count) problem(s) in \(configuration.databasePath)")
            }
            Terminal.writeOutput(
                "ok: \(configuration.databasePath) passed integrity_check; every stored file of "
                    + "\(snapshots.count) snapshots re-hashed to its recorded SHA-256\n")
        }
    }
}
