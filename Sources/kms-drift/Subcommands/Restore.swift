import Age
import ArgumentParser
import Backup
import DriftConfig
import DriftCore
import SnapshotRestore
import SnapshotStore

extension KMSDrift {
    /// `kms-drift restore SNAP`: put a recorded state back, byte-exact or not at all.
    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
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
            let outcome: RestoreOutcome
            // An export's snapshot is named as its own store numbered it, not as the temporary store did.
            var snapshotName: String? = nil
            if let from {
                var identities: [AgeIdentity] = []
                for path in identity { identities += try AgeKeyFiles.identities(file: path) }
                // Checked completely before anything is written; never added to the history.
                let exported = try TemporaryImport(
                    from: from, identities: identities,
                    checks: ImportChecks(maximumFileSize: configuration.maximumStoredFileSize))
                snapshotName = exported.result.sourceDescription
                Terminal.writeOutput(
                    "checked \(from): \(exported.result.sourceDescription), \(exported.result.sourceChainHash)\n"
                )
                let saveFirst = !noSnapshotFirst && !dryRun && to == nil
                outcome = try configuration.restore(
                    .latest, from: exported.store, into: to, subtree: path, keepSpecialBits: keepSpecialBits,
                    dryRun: dryRun, partial: partial, saveCurrentState: saveFirst,
                    history: saveFirst ? try location.openStore(configuration) : nil)
            } else {
                let store = try location.openStore(configuration)
                outcome = try configuration.restore(
                    snapshot ?? .latest, from: store, into: to, subtree: path,
                    keepSpecialBits: keepSpecialBits,
                    dryRun: dryRun, partial: partial, saveCurrentState: !noSnapshotFirst)
            }
            if let saved = outcome.savedState {
                Terminal.writeOutput(
                    saved.isUnchanged
                        ? "the current state is snapshot \(saved.id) already (unchanged): nothing to save\n"
                        : "saved the current state as snapshot \(saved.id)\n")
            }
            if let report = outcome.report {
                Terminal.writeOutput(RestoreText.report(report, snapshotName: snapshotName))
            } else if dryRun {
                Terminal.writeOutput(RestoreText.plan(outcome.plan, snapshotName: snapshotName))
            } else {
                Terminal.writeOutput(RestoreText.refused(outcome.plan, snapshotName: snapshotName))
            }
            if !outcome.isComplete { throw Diagnostics.failure }
        }
    }
}

/// What `restore` prints: one line per entry written or not, then one summary line.
enum RestoreText {
    static func plan(_ plan: RestorePlan, snapshotName: String? = nil) -> String {
        let name = snapshotName ?? "snapshot \(plan.snapshot)"
        var lines = plan.actions.map { "would " + line(for: $0) }
        lines += plan.refusals.map(refusalLine)
        let total = plan.actions.count + plan.refusals.count
        var summary =
            "would restore \(plan.actions.count) of \(total) entries of \(name) into "
            + TerminalText.escaped(plan.target)
        if !plan.isClean {
            summary +=
                "; \(plan.refusals.count) cannot be restored (nothing would be written without --partial)"
        }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    static func refused(_ plan: RestorePlan, snapshotName: String? = nil) -> String {
        let name = snapshotName ?? "snapshot \(plan.snapshot)"
        var lines = plan.refusals.map(refusalLine)
        lines.append(
            "nothing written: \(plan.refusals.count) of \(plan.actions.count + plan.refusals.count) entries of "
                + "\(name) cannot be restored; restore them from another snapshot, or pass "
                + "--partial to write the other \(plan.actions.count)")
        return lines.joined(separator: "\n") + "\n"
    }

    static func report(_ report: RestoreReport, snapshotName: String? = nil) -> String {
        let name = snapshotName ?? "snapshot \(report.plan.snapshot)"
        var lines = report.written.map(line(for:))
        for action in report.ownersNotRestored {
            lines.append(
                "owner \(action.ownership.map(\.description) ?? "?") not restored (kms-drift is not running as root)  "
                    + TerminalText.escaped(action.path))
        }
        lines += report.notWritten.map(refusalLine)
        let total = report.written.count + report.notWritten.count
        var summary =
            "restored \(report.written.count) of \(total) entries of \(name) into "
            + TerminalText.escaped(report.plan.target)
        if !report.notWritten.isEmpty {
            summary += "; \(report.notWritten.count) not restored (listed above)"
        }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func line(for action: RestoreAction) -> String {
        let verb: String
        switch action.operation {
        case .writeFile(let mode, let size, _): verb = "write \(octal(mode)) \(Formatting.size(size))"
        case .createSymlink(let target): verb = "link -> \(TerminalText.escaped(target))"
        case .directory(let mode): verb = "set directory \(octal(mode))"
        }
        var text = verb + "  " + TerminalText.escaped(action.path)
        if action.droppedBits != 0 {
            text += "  (dropped \(specialBitNames(action.droppedBits)); --keep-special-bits keeps them)"
        }
        return text
    }

    private static func refusalLine(_ refusal: RestoreRefusal) -> String {
        "NOT restored  \(TerminalText.escaped(refusal.path)): \(TerminalText.escaped(refusal.reason))"
    }

    private static func octal(_ mode: UInt32) -> String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    static func specialBitNames(_ bits: UInt32) -> String {
        var names: [String] = []
        if bits & 0o4000 != 0 { names.append("setuid") }
        if bits & 0o2000 != 0 { names.append("setgid") }
        if bits & 0o1000 != 0 { names.append("sticky") }
        return names.joined(separator: ", ")
    }
}
