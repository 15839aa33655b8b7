import ArgumentParser
import DriftCore
import DriftDaemon
import DriftOperations

extension KMSDrift {
    /// `kms-drift snapshot`: one cycle for cron or a systemd timer.
    struct Snapshot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot",
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
            let result = try OneShotCycle(
                configuration: configuration, note: note, logger: DaemonLogging.bootstrap()
            )
            .run()
            let run = result.run
            if report.format == .json {
                // Exactly one JSON document on stdout; problems are in it (and on stderr as log lines).
                let secrets = SecretPolicy(
                    showSecrets: report.showSecrets, key: try report.fingerprintKey(store: result.storeKey))
                Terminal.writeOutput(CycleRunJSON.render(run, secrets: secrets))
                try Diagnostics.exit(with: result.exitStatus)
                return
            }
            if let outcome = run.outcome {
                Terminal.writeOutput(CycleSummary.lines(for: outcome, configuration: configuration))
                if let drift = outcome.report, !drift.isClean {
                    Terminal.writeOutput(
                        "\n" + report.render(drift, key: try report.fingerprintKey(store: result.storeKey)))
                }
                Terminal.writeOutput(CycleSummary.validation(outcome))
            }
            // A problem raised as an `error` event this run is already on stderr, in its log line.
            for problem in CycleSummary.unraisedProblems(run) {
                Diagnostics.report(CommandLineError(problem))
            }
            try Diagnostics.exit(with: result.exitStatus)
        }
    }
}
