import ArgumentParser
import DriftConfig
import DriftDaemon
import SnapshotStore

extension KMSDrift {
    /// `kms-drift baseline set SNAP --reason TEXT`: accept a state as the reference.
    struct Baseline: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept a snapshot as the reference that drift is measured against.",
            subcommands: [Set.self])

        struct Set: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Make SNAP the baseline; the reason and time are kept and shown by list.")

            @OptionGroup var store: StoreOptions

            @Argument(help: "The snapshot: #12, 12 or latest.")
            var snapshot: SnapshotReference

            @Option(name: .long, help: "Why this state is accepted (a change ticket, a person).")
            var reason: String

            func validate() throws {
                if reason.allSatisfy({ $0 == " " }) {
                    throw ValidationError("--reason must say why the new baseline is accepted")
                }
            }

            func run() throws {
                let configuration = try store.configuration(requireDirectory: false)
                let history = try store.openStore(configuration)
                try Failure.exitOnError {
                    let id = try history.resolve(snapshot)
                    try history.setBaseline(.id(id), reason: reason)
                    Terminal.writeOutput("snapshot \(id) is now the baseline: \(reason)\n")
                }
            }
        }
    }

    /// `kms-drift pin SNAP`: keep a snapshot through rotation.
    struct Pin: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Protect a snapshot from rotation.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The snapshot: #12, 12, latest or baseline.")
        var snapshot: SnapshotReference

        func run() throws {
            try KMSDrift.setPinned(true, snapshot, store)
        }
    }

    /// `kms-drift unpin SNAP`: let rotation delete a snapshot again.
    struct Unpin: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let rotation delete a pinned snapshot again.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The snapshot: #12, 12, latest or baseline.")
        var snapshot: SnapshotReference

        func run() throws {
            try KMSDrift.setPinned(false, snapshot, store)
        }
    }

    /// What `pin` and `unpin` share: resolve the snapshot, change its mark, say so.
    static func setPinned(_ pinned: Bool, _ snapshot: SnapshotReference, _ store: StoreOptions) throws {
        let configuration = try store.configuration(requireDirectory: false)
        let history = try store.openStore(configuration)
        try Failure.exitOnError {
            let id = try history.resolve(snapshot)
            if pinned { try history.pin(.id(id)) } else { try history.unpin(.id(id)) }
            Terminal.writeOutput("snapshot \(id) is \(pinned ? "pinned" : "no longer pinned")\n")
        }
    }
}
