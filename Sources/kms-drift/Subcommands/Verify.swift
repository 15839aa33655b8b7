import ArgumentParser
import DriftConfig
import DriftDaemon
import SnapshotStore

extension KMSDrift {
    /// `kms-drift verify`: is the history intact?
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the database (integrity_check) and re-hash every stored file.",
            discussion: "Exit status: 0 intact, 2 damage found (each damaged snapshot and path is named).")

        @OptionGroup var store: StoreOptions

        func run() throws {
            let configuration = try store.configuration(requireDirectory: false)
            let history = try store.openStore(configuration)
            let problems = try Failure.exitOnError { try history.verify() }
            let snapshots = try Failure.exitOnError { try history.listSnapshots() }
            guard problems.isEmpty else {
                for problem in problems { Terminal.writeError("damaged: \(problem)\n") }
                Terminal.writeError(
                    "kms-drift: \(problems.count) problem(s) in \(configuration.databasePath)\n")
                throw ExitCode(2)
            }
            Terminal.writeOutput(
                "ok: \(configuration.databasePath) passed integrity_check; every stored file of "
                    + "\(snapshots.count) snapshots re-hashed to its recorded SHA-256\n")
        }
    }
}
