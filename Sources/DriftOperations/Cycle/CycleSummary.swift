import DriftConfig
import DriftCore
import KMSValidation

/// What `snapshot` prints before the report: the snapshot line, skipped and oversized files,
/// recorded problems, and the comparison with the reference.
package enum CycleSummary {
    package static func lines(for outcome: CycleOutcome, configuration: DriftConfiguration) -> String {
        let snapshot = outcome.snapshot
        let files =
            "\(snapshot.fileCount) files (\(snapshot.filesRead) read, "
            + "\(snapshot.filesReused) unchanged), \(Formatting.size(snapshot.totalSize))"
        // An unchanged state stores no snapshot: the line says which one it confirmed.
        var parts = [
            snapshot.isUnchanged
                ? "unchanged since snapshot \(snapshot.id): \(files); nothing stored"
                : "snapshot \(snapshot.id): \(files)"
        ]
        if outcome.baselineCreated { parts.append("became the baseline") }
        if let link = snapshot.chain { parts.append("chain=\(link.chainHash)") }
        if let rotation = snapshot.rotation, !rotation.deletedSnapshots.isEmpty {
            parts.append(
                "rotated out \(rotation.deletedSnapshots.map(\.description).joined(separator: ", "))")
        }
        var lines = [parts.joined(separator: "; ")]
        if case .written(let path, let removed) = outcome.backup {
            lines.append(
                "backup written to \(path)"
                    + (removed.isEmpty ? "" : "; removed \(removed.joined(separator: ", "))"))
        }
        for skipped in snapshot.skipped { lines.append("skipped \(skipped.path): \(skipped.type)") }
        for path in snapshot.oversizedFiles {
            lines.append("warning: \(path) is above the size limit; recorded by hash only")
        }
        for problem in snapshot.problems {
            switch problem.kind {
            case .vanished(let reason):
                lines.append(
                    "note: \(problem.path) vanished while it was read (\(reason)); the next cycle sees it")
            case .unreadable:
                break  // an error: printed on stderr with what to do
            default:
                break
            }
        }
        if let report = outcome.report {
            let reference: String
            switch configuration.reference {
            case .baseline: reference = "the baseline"
            case .directory(let path): reference = path
            }
            let summary = TextReportRenderer(
                formatter: ValueFormatter(secrets: SecretPolicy()), useColor: false
            )
            .summary(report)
            lines.append(
                "compared with \(reference): "
                    + (report.isClean ? "same as the reference (\(summary))" : summary))
        }
        if let parties = outcome.networkParties {
            let states = ["agree", "differ", "missing", "stale", "invalid"]
            lines.append("network: " + states.map { "\(parties[$0] ?? 0) \($0)" }.joined(separator: ", "))
        }
        // Paths come from the watched directory: no control character reaches the terminal raw.
        return lines.map(TerminalText.escaped).joined(separator: "\n") + "\n"
    }

    /// The findings on the watched kms-server config, after the report; empty when there are none.
    package static func validation(_ outcome: CycleOutcome) -> String {
        guard !outcome.validation.isEmpty else { return "" }
        let lines = outcome.validation.map { TerminalText.escaped(ValidationReportRenderer.line($0)) }
        return "\nvalidation of the watched kms-server config:\n" + lines.joined(separator: "\n") + "\n"
    }

    /// The problems of the run not already on stderr in the log line of an `error` event raised
    /// this run: the one-shot prints them as errors, since it exits 2 while they last.
    package static func unraisedProblems(_ run: CycleRun) -> [String] {
        let raised = Set(run.events.filter { $0.kind == .error }.compactMap(\.message))
        return run.problems.filter { !raised.contains($0) }
    }
}
