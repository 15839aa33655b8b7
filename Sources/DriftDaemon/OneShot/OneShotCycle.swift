import DriftConfig
import DriftCore
import DriftOperations
import Logging
import SnapshotStore

/// `kms-drift snapshot`: one cycle for cron or a systemd timer, with the daemon's alerts (log
/// line, event log, hooks), so cron sees what systemd sees. The exit status is the run's
/// (``CycleRun/exitStatus``).
package struct OneShotCycle: Sendable {
    package let configuration: DriftConfiguration
    /// `snapshot --note`: kept with this cycle's snapshot.
    package let note: String?
    package let logger: Logger

    package init(configuration: DriftConfiguration, note: String?, logger: Logger) {
        self.configuration = configuration
        self.note = note
        self.logger = logger
    }

    /// The run, and the store's key: secrets in the report, the log line, the event log and hook
    /// payloads are fingerprinted with it, so the same secret reads the same run after run.
    package struct Result: Sendable {
        package let run: CycleRun
        package let storeKey: FingerprintKey

        package var exitStatus: ExitStatus { run.exitStatus }
    }

    /// Runs the cycle (opening and closing the store) and raises its events; a refused watched
    /// directory throws before anything is opened.
    package func run() throws -> Result {
        try configuration.checkPaths()
        var store: SnapshotStore? = nil
        let run = DriftCycle(configuration: configuration, note: note).run(reopening: &store)
        let key = (try? store?.secretFingerprintKey()) ?? .perRun
        let alerter = Alerter(configuration: configuration, logger: logger, secrets: SecretPolicy(key: key))
        for notice in run.notices { alerter.logger.warning("\(notice)") }
        alerter.raise(run.events)
        return Result(run: run, storeKey: key)
    }
}
