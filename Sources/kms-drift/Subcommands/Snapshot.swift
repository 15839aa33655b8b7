import ArgumentParser
import DriftConfig
import DriftCore
import DriftDaemon
import KMSValidation
import SnapshotStore

extension KMSDrift {
    /// `kms-drift snapshot`: one cycle for cron or a systemd timer.
    struct Snapshot: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take one snapshot, compare it with the reference, rotate, and exit.",
            discussion: """
                The cron-style one-shot. The first snapshot of an empty store becomes the baseline \
                unless the configuration names a reference directory. A drift is raised once, \
                not on every run. Exit status: 0 no drift, 1 drift, 2 error.
                """)

        @OptionGroup var location: StoreOptions
        @OptionGroup var report: ReportOptions

        @Option(name: .long, help: "A note kept with the snapshot (a change ticket, why it was taken).")
        var note: String?

        func run() throws {
            let configuration = try location.configuration(requireDirectory: true)
            try configuration.checkPaths()
            // The same cycle and the same alerts as the daemon (log line, event log, hooks), so cron
            // sees what systemd sees.
            let logger = DaemonLogging.bootstrap()
            var store: SnapshotStore? = nil
            let run = DriftCycle(configuration: configuration, note: note).run(reopening: &store)
            // Secrets in the report, the log line, the event log and hook payloads are fingerprinted
            // with the store's key, so the same secret reads the same run after run.
            let key = (try? store?.secretFingerprintKey()) ?? .perRun
            let alerter = Alerter(
                configuration: configuration, logger: logger, secrets: SecretPolicy(key: key))
            for notice in run.notices { alerter.logger.warning("\(notice)") }
            alerter.raise(run.events)
            if report.format == .json {
                // Exactly one JSON document on stdout; problems are in it (and on stderr as log lines).
                let secrets = SecretPolicy(
                    showSecrets: report.showSecrets, key: try report.fingerprintKey(store: key))
                Terminal.writeOutput(CycleRunJSON.render(run, secrets: secrets))
                if run.exitStatus != 0 { throw ExitCode(run.exitStatus) }
                return
            }
            if let outcome = run.outcome {
                Terminal.writeOutput(CycleSummary.lines(for: outcome, configuration: configuration))
                if let result = outcome.report, !result.isClean {
                    Terminal.writeOutput(
                        "\n" + report.render(result, key: try report.fingerprintKey(store: key)))
                }
                if !outcome.validation.isEmpty {
                    let lines = outcome.validation.map {
                        TerminalText.escaped(ValidationReportRenderer.line($0))
                    }
                    Terminal.writeOutput(
                        "\nvalidation of the watched kms-server config:\n" + lines.joined(separator: "\n")
                            + "\n")
                }
            }
            // A problem raised as an `error` event this run is already on stderr, in its log line.
            let raised = Set(run.events.filter { $0.kind == .error }.compactMap(\.message))
            for problem in run.problems where !raised.contains(problem) {
                Diagnostics.report(CommandLineError(problem))
            }
            if run.exitStatus != 0 { throw ExitCode(run.exitStatus) }
        }
    }
}

/// What `snapshot` prints before the report: the snapshot line, skipped and oversized files,
/// recorded problems, and the comparison with the reference.
enum CycleSummary {
    static func lines(for outcome: CycleOutcome, configuration: DriftConfiguration) -> String {
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
}
