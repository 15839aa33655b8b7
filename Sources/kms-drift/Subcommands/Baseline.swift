import ArgumentParser
import DriftOperations
import SnapshotStore

extension KMSDrift {
    /// `kms-drift baseline set SNAP --reason TEXT`: accept a state as the reference.
    struct Baseline: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "baseline",
            abstract: "Accept a snapshot as the reference that drift is measured against.",
            subcommands: [Set.self, Take.self])

        struct Take: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "take",
                abstract: "Snapshot the watched directory now and make that snapshot the baseline.",
                discussion:
                    "The snapshot's metadata records that it was taken as a baseline, with the reason.")

            @OptionGroup var location: StoreOptions

            @Option(name: .long, help: "Why this state is accepted (a change ticket, a person).")
            var reason: String

            func validate() throws {
                if reason.allSatisfy({ $0 == " " }) {
                    throw ValidationError("--reason must say why the new baseline is accepted")
                }
            }

            func run() throws {
                let configuration = try location.configuration(requireDirectory: true)
                let store = try location.openStore(configuration)
                let result = try BaselineChange(configuration: configuration, reason: reason).take(in: store)
                Terminal.writeOutput(BaselineText.render(result))
                try Diagnostics.exit(with: result.exitStatus)
            }
        }

        struct Set: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "set",
                abstract: "Make SNAP the baseline; the reason and time are kept and shown by list.")

            @OptionGroup var location: StoreOptions

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
                let configuration = try location.configuration(requireDirectory: false)
                let result = try BaselineChange(configuration: configuration, reason: reason)
                    .set(snapshot, openStore: { try location.openStore(configuration) })
                Terminal.writeOutput(BaselineText.render(result))
                try Diagnostics.exit(with: result.exitStatus)
            }
        }
    }

    /// `kms-drift pin SNAP`: keep a snapshot through rotation.
    struct Pin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pin",
            abstract: "Protect a snapshot from rotation.")

        @OptionGroup var location: StoreOptions
        @Argument(help: "The snapshot: #12, 12, latest or baseline.")
        var snapshot: SnapshotReference

        func run() throws {
            try KMSDrift.setPinned(true, snapshot, location)
        }
    }

    /// `kms-drift unpin SNAP`: let rotation delete a snapshot again.
    struct Unpin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unpin",
            abstract: "Let rotation delete a pinned snapshot again.")

        @OptionGroup var location: StoreOptions
        @Argument(help: "The snapshot: #12, 12, latest or baseline.")
        var snapshot: SnapshotReference

        func run() throws {
            try KMSDrift.setPinned(false, snapshot, location)
        }
    }

    /// What `pin` and `unpin` share: resolve the snapshot, change its mark, say so.
    static func setPinned(_ pinned: Bool, _ snapshot: SnapshotReference, _ location: StoreOptions) throws {
        let configuration = try location.configuration(requireDirectory: false)
        let store = try location.openStore(configuration)
        let result = try PinChange(pinned: pinned).run(snapshot, in: store)
        Terminal.writeOutput(BaselineText.render(result))
        try Diagnostics.exit(with: result.exitStatus)
    }
}
