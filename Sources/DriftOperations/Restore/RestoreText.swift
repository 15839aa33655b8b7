import DriftCore
import SnapshotRestore
import SnapshotStore

/// What `restore` prints: one line per entry written or not, then one summary line.
package enum RestoreText {
    /// The whole of what `restore` prints after the export check: the saved state, then what was
    /// written (or, for a dry run, would be; or, refused, why nothing was).
    package static func render(_ result: SnapshotRestoration.Result) -> String {
        var text = ""
        if let saved = result.outcome.savedState {
            text +=
                saved.isUnchanged
                ? "the current state is snapshot \(saved.id) already (unchanged): nothing to save\n"
                : "saved the current state as snapshot \(saved.id)\n"
        }
        if let report = result.outcome.report {
            text += Self.report(report, snapshotName: result.snapshotName)
        } else if result.dryRun {
            text += plan(result.outcome.plan, snapshotName: result.snapshotName)
        } else {
            text += refused(result.outcome.plan, snapshotName: result.snapshotName)
        }
        return text
    }

    package static func plan(_ plan: RestorePlan, snapshotName: String? = nil) -> String {
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

    package static func refused(_ plan: RestorePlan, snapshotName: String? = nil) -> String {
        let name = snapshotName ?? "snapshot \(plan.snapshot)"
        var lines = plan.refusals.map(refusalLine)
        lines.append(
            "nothing written: \(plan.refusals.count) of \(plan.actions.count + plan.refusals.count) entries of "
                + "\(name) cannot be restored; restore them from another snapshot, or pass "
                + "--partial to write the other \(plan.actions.count)")
        return lines.joined(separator: "\n") + "\n"
    }

    package static func report(_ report: RestoreReport, snapshotName: String? = nil) -> String {
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

    package static func specialBitNames(_ bits: UInt32) -> String {
        var names: [String] = []
        if bits & 0o4000 != 0 { names.append("setuid") }
        if bits & 0o2000 != 0 { names.append("setgid") }
        if bits & 0o1000 != 0 { names.append("sticky") }
        return names.joined(separator: ", ")
    }
}
