import Age
import ArgumentParser
import Backup
import DriftConfig
import SnapshotStore

extension KMSDrift {
    /// `kms-drift restore SNAP`: put a recorded state back.
    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a snapshot's files back, atomically, with their modes.",
            discussion: """
                Restores into the watched directory unless --to says otherwise. Each file is written to a
                temporary file and renamed into place; paths that would land outside the target are
                refused. Before writing, the current state is snapshotted so nothing is lost
                (--no-snapshot-first to skip). Files present now but absent from SNAP are left alone.
                """)

        @OptionGroup var location: StoreOptions

        @Argument(help: "The snapshot to restore: #12, 12, latest or baseline (not with --from).")
        var snapshot: SnapshotReference?

        @Option(
            name: .long,
            help:
                "Restore the snapshot of an export (kms-drift export) instead, without adding it to the history."
        )
        var from: String?

        @Option(name: .long, help: "An age identity file that decrypts the --from export (repeatable).")
        var identity: [String] = []

        @Option(name: .long, help: "Restore only this file or directory (relative path).")
        var path: String?

        @Option(name: .long, help: "Restore into this directory instead of the watched directory.")
        var to: String?

        @Flag(name: .long, help: "Print what would be written; write nothing.")
        var dryRun = false

        @Flag(name: .long, help: "Do not snapshot the current state first.")
        var noSnapshotFirst = false

        func validate() throws {
            if (snapshot == nil) == (from == nil) {
                throw ValidationError("give the snapshot to restore, or --from EXPORT (one of them)")
            }
            if from == nil && !identity.isEmpty {
                throw ValidationError("--identity decrypts a --from export")
            }
        }

        func run() throws {
            let configuration = try location.configuration(requireDirectory: to == nil)
            let outcome: RestoreOutcome
            if let from {
                var identities: [AgeIdentity] = []
                for path in identity { identities += try AgeKeyFiles.identities(file: path) }
                // Checked completely before anything is written; never added to the history.
                let exported = try TemporaryImport(from: from, identities: identities)
                Terminal.writeOutput(
                    "checked \(from): snapshot #\(exported.result.sourceSnapshot) of "
                        + "\(exported.result.sourceHost ?? "an unknown host"), \(exported.result.sourceChainHash)\n"
                )
                let saveFirst = !noSnapshotFirst && !dryRun && to == nil
                outcome = try configuration.restore(
                    .latest, from: exported.store, into: to, subtree: path, dryRun: dryRun,
                    saveCurrentState: saveFirst,
                    history: saveFirst ? try location.openStore(configuration) : nil)
            } else {
                let store = try location.openStore(configuration)
                outcome = try configuration.restore(
                    snapshot ?? .latest, from: store, into: to, subtree: path, dryRun: dryRun,
                    saveCurrentState: !noSnapshotFirst)
            }
            if let saved = outcome.savedState {
                Terminal.writeOutput("saved the current state as snapshot \(saved.id)\n")
            }
            let plan = outcome.plan
            for action in plan.actions {
                let verb: String
                switch action.operation {
                case .writeFile(let mode, let size, _):
                    verb = "write \(String(mode & 0o7777, radix: 8)) \(Formatting.size(size))"
                case .createSymlink(let target): verb = "link -> \(target)"
                case .skip(let reason): verb = "skip (\(reason))"
                }
                Terminal.writeOutput("\(dryRun ? "would " : "")\(verb)  \(action.path)\n")
            }
            Terminal.writeOutput(
                "\(dryRun ? "would restore" : "restored") \(plan.actions.count) entries of snapshot "
                    + "\(plan.snapshot) into \(to ?? configuration.watchedDirectory)\n")
        }
    }
}
