import ArgumentParser
import DriftOperations
import SnapshotStore

extension KMSDrift {
    /// `kms-drift restore SNAP`: put a recorded state back, byte-exact or not at all.
    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Write a snapshot's files back, checked against their SHA-256, with modes and owners.",
            discussion: """
                Restores into the watched directory unless --to says otherwise. The whole restore is \
                planned first: every file's content is checked against its SHA-256 and every path against \
                the target. If anything cannot be restored (damaged content, content kept by hash only, \
                a symlinked directory in the way, …) nothing is written and each such path is named, \
                unless --partial is given. Each file is written to a temporary file, checked again and \
                renamed into place. setuid, setgid and sticky bits are dropped (and said so) unless \
                --keep-special-bits; owners and groups are restored when running as root. Before writing, \
                the current state is snapshotted so nothing is lost (--no-snapshot-first to skip). \
                Files present now but absent from SNAP are left alone.

                Exit status: 0 everything restored, 2 anything not restored or an error.
                """)

        @OptionGroup var location: StoreOptions

        @Argument(
            help: "The snapshot to restore: #12, 12, latest, baseline or previous-baseline (not with --from)."
        )
        var snapshot: SnapshotReference?

        @Option(
            name: .long,
            help:
                "Restore the snapshot of an export (kms-drift export) instead, without adding it to the history.",
            completion: .file())
        var from: String?

        @Option(
            name: .long, help: "An age identity file that decrypts the --from export (repeatable).",
            completion: .file())
        var identity: [String] = []

        @Option(name: .long, help: "Restore only this file or directory (relative path, as show lists it).")
        var path: String?

        @Option(
            name: .long, help: "Restore into this directory instead of the watched directory.",
            completion: .directory)
        var to: String?

        @Flag(name: .long, help: "Print what would be written and what would not; write nothing.")
        var dryRun = false

        @Flag(name: .long, help: "When some entries cannot be restored, still write the others (exit 2).")
        var partial = false

        @Flag(name: .long, help: "Restore setuid, setgid and sticky bits as recorded.")
        var keepSpecialBits = false

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
            var restore = SnapshotRestoration(
                configuration: configuration,
                source: from.map { .export(path: $0, identityFiles: identity) }
                    ?? .history(snapshot ?? .latest))
            restore.subtree = path
            restore.target = to
            restore.dryRun = dryRun
            restore.partial = partial
            restore.keepSpecialBits = keepSpecialBits
            restore.saveCurrentState = !noSnapshotFirst
            let result = try restore.run(
                announce: Terminal.writeOutput, openStore: { try location.openStore(configuration) })
            Terminal.writeOutput(RestoreText.render(result))
            try Diagnostics.exit(with: result.exitStatus)
        }
    }
}
