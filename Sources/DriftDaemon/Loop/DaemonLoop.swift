import Backup
import Dispatch
import DriftConfig
import DriftCore
import DriftOperations
import FileSystem
import KMSValidation
import Logging
import SnapshotStore

/// `kms-drift daemon`: a Dispatch timer and signal sources on one serial queue that owns all the
/// daemon's state. One cycle at start, then one per interval; a cycle is never interrupted and
/// never overlaps the next (the timer is re-armed when a cycle ends). SIGTERM and SIGINT are
/// handled on the same queue, so they take effect between cycles: the database is closed there
/// and `run()` returns on the caller's thread, which exits — never `exit()` inside a handler.
///
/// `@unchecked Sendable`: every mutable property below is read and written only on `queue`
/// (Dispatch source handlers are not concurrency-checked on Linux, so this is by construction:
/// all handlers are installed on `queue`, and `run()` touches state only before the sources
/// start and after `finished` is signalled from `queue`).
package final class DaemonLoop: @unchecked Sendable {
    /// Re-reads the configuration file on SIGHUP; `nil` when the daemon was started from flags.
    package typealias Reload = @Sendable () throws(DriftConfigurationError) -> DriftConfiguration

    private let queue = DispatchQueue(label: "kms-drift.daemon")
    private let finished = DispatchSemaphore(value: 0)
    private let logger: Logger
    private let notifier: SystemdNotifier?
    private let reload: Reload?
    private let intervalOverride: Duration?
    private let hookRunner: HookRunner
    /// Hooks run here, off `queue`: a slow hook never delays a cycle, a signal or a watchdog ping.
    private let hookScheduler = HookScheduler()

    private var configuration: DriftConfiguration
    private var store: SnapshotStore?
    private var errorFilter = ErrorAlertFilter()
    private var metrics = CycleMetrics()
    private var cycles = 0
    private var stopping = false
    /// A SIGHUP's file read is in progress off the queue.
    private var reloading = false
    private var timer: DispatchSourceTimer?
    private var watchdog: DispatchSourceTimer?
    private var signalSources: [DispatchSourceSignal] = []
    /// inotify on the watched tree (`[schedule] watch`): a change starts a cycle within the debounce.
    private var changeWatch: ChangeWatch?
    private let inotifyAddWatch: InotifyAddWatch
    /// Why the next cycle runs, for its log line.
    private var nextTrigger = "start"
    /// The last SIGHUP's failure, until a reload succeeds (then `recovered` names it).
    private var reloadProblem: CycleProblem?

    /// - Parameters:
    ///   - intervalOverride: replaces `[schedule] interval_seconds` (a test seam for sub-second cycles).
    ///   - inotifyAddWatch: how watches are added (a test seam to simulate a full watch table).
    package init(
        configuration: DriftConfiguration, reload: Reload?, logger: Logger, notifier: SystemdNotifier?,
        intervalOverride: Duration? = nil, hookRunner: HookRunner = HookRunner(),
        inotifyAddWatch: @escaping InotifyAddWatch = systemInotifyAddWatch
    ) {
        self.inotifyAddWatch = inotifyAddWatch
        self.configuration = configuration
        self.reload = reload
        self.logger = logger
        self.notifier = notifier
        self.intervalOverride = intervalOverride
        self.hookRunner = hookRunner
    }

    /// Runs until SIGTERM or SIGINT, then returns the exit status (0) with the database closed.
    package func run() -> ExitStatus {
        ProcessSignals.ignore(ProcessSignals.brokenPipe)
        let handled = [
            (ProcessSignals.terminate, "stop"), (ProcessSignals.interrupt, "stop"),
            (ProcessSignals.hangUp, "reload"),
        ]
        for (number, action) in handled {
            // Dispatch sees the signal only when its default action (terminate) is switched off.
            ProcessSignals.ignore(number)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in
                if action == "stop" {
                    stop(signal: number == ProcessSignals.terminate ? "SIGTERM" : "SIGINT")
                } else {
                    reloadConfiguration()
                }
            }
            source.resume()
            signalSources.append(source)
        }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [self] in runCycle() }
        timer.schedule(deadline: .now())
        self.timer = timer
        let changeWatch = ChangeWatch(
            queue: queue, logger: logger, addWatch: inotifyAddWatch,
            startCycle: { [self] trigger in cycleNow(trigger) }, raise: { [self] event in raise([event]) })
        self.changeWatch = changeWatch
        queue.async { [self] in changeWatch.start(configuration) }
        if let interval = notifier?.watchdogInterval {
            let watchdog = DispatchSource.makeTimerSource(queue: queue)
            // On the daemon's queue: the ping stops when the loop is stuck, which is the point.
            watchdog.setEventHandler { [self] in notifier?.notify("WATCHDOG=1") }
            watchdog.schedule(
                deadline: .now() + Self.dispatchInterval(interval), repeating: Self.dispatchInterval(interval)
            )
            watchdog.resume()
            self.watchdog = watchdog
        }
        logger.info(
            "kms-drift daemon started",
            metadata: [
                "dir": .string(configuration.watchedDirectory), "db": .string(configuration.databasePath),
                "interval": .string(Self.text(interval)),
            ])
        timer.resume()
        finished.wait()
        // Hooks still running get a moment to finish; then their process groups are killed, so
        // none outlives the daemon (under systemd, KillMode=control-group covers those that left
        // their group).
        if !hookScheduler.waitUntilIdle(timeout: Self.hookShutdownGrace) {
            logger.warning("hooks still running at shutdown were killed")
            HookRunner.killRunningHooks()
            hookScheduler.waitUntilIdle(timeout: .seconds(5))
        }
        return .nothingToReport
    }

    private var interval: Duration { intervalOverride ?? configuration.interval }

    /// One cycle: snapshot → compare → rotate (in `DriftCycle`), then alert, metrics, status.
    private func runCycle() {
        guard !stopping else { return }
        cycles += 1
        let started = ContinuousClock.now
        changeWatch?.cycleStarting(configuration)
        let trigger = nextTrigger
        nextTrigger = "interval"
        let run = DriftCycle(configuration: configuration, origin: .daemon).run(reopening: &store)
        for notice in run.notices { logger.warning("\(notice)") }
        let status: String
        if let snapshot = run.outcome?.snapshot {
            metrics.recordCheck(of: snapshot, at: POSIX.wallClockSeconds())
            logSnapshot(snapshot)
            logBackup(run.outcome?.backup)
            metrics.networkFingerprint = run.outcome?.networkFingerprint
            metrics.certificates = run.outcome?.certificates ?? []
            metrics.violations = run.outcome?.validation.errorCount ?? 0
            metrics.networkParties = run.outcome?.networkParties
        }
        if let report = run.outcome?.report, run.problems.isEmpty {
            metrics.differences = report.countsBySeverity
            status = Self.summary(of: report)
        } else {
            if let report = run.outcome?.report { metrics.differences = report.countsBySeverity }
            metrics.errorsTotal += 1
            status = "error: " + (run.problems.first ?? "the comparison failed")
        }
        let events = run.events
        // A cycle that reached the store de-duplicates its errors there; a cycle that could not
        // open it (locked, damaged, missing) is de-duplicated here, in memory.
        if run.outcome != nil { errorFilter.reset() }
        raise(run.outcome == nil ? errorFilter.filter(events) : events)
        metrics.cycleDurationSeconds = Self.seconds(ContinuousClock.now - started)
        writeMetrics()
        let line = "cycle \(cycles): \(status)"
        notifier?.notify(cycles == 1 ? "READY=1\nSTATUS=\(line)" : "STATUS=\(line)")
        logger.debug(
            "cycle finished",
            metadata: [
                "cycle": .string(String(cycles)), "status": .string(status), "trigger": .string(trigger),
            ])
        scheduleNext(after: started)
    }

    /// Rewrites the metrics file, when one is configured.
    private func writeMetrics() {
        guard let path = configuration.metricsPath else { return }
        do {
            try metrics.write(to: path)
        } catch {
            logger.warning("\(error.description)")
        }
    }

    /// The snapshot line: its number, size and chain head, so journald (and a remote syslog)
    /// keeps a witness of the history outside the database every cycle.
    private func logSnapshot(_ snapshot: SnapshotResult) {
        var fields: Logger.Metadata = [
            "snapshot": .string(String(snapshot.id.rawValue)), "files": .string(String(snapshot.fileCount)),
            "read": .string(String(snapshot.filesRead)),
        ]
        if let link = snapshot.chain { fields["chain"] = .string(link.chainHash.description) }
        // An unchanged state stores nothing: the line names the snapshot it confirmed.
        logger.info(snapshot.isUnchanged ? "unchanged since snapshot" : "snapshot recorded", metadata: fields)
    }

    /// A backup written this cycle (an unchanged state writes none, and logs nothing).
    private func logBackup(_ outcome: BackupDirectory.Outcome?) {
        guard case .written(let path, let removed) = outcome else { return }
        var fields: Logger.Metadata = ["backup": .string(path)]
        if !removed.isEmpty { fields["rotated"] = .string(removed.joined(separator: ",")) }
        logger.info("backup written", metadata: fields)
    }

    /// Raises events (log, event log, hooks) and counts hook failures.
    /// Log lines and the event log now; hooks on the scheduler, off this queue, with secrets
    /// fingerprinted with the store's key. A hook's failure reaches the metrics when it ends.
    private func raise(_ events: [DriftEvent]) {
        let key = (try? store?.secretFingerprintKey()) ?? .perRun
        let alerts = Alerter(
            configuration: configuration, logger: logger, hookRunner: hookRunner,
            secrets: SecretPolicy(key: key),
            scheduler: hookScheduler,
            hookFinished: { [self] succeeded in
                if !succeeded { queue.async { [self] in metrics.hookFailuresTotal += 1 } }
            }
        ).raise(events)
        metrics.hookFailuresTotal += alerts.hookFailures
    }

    /// A watched change settled: the cycle runs now instead of at the interval, which then counts
    /// from this cycle (the timer is re-armed when it ends).
    private func cycleNow(_ trigger: ChangeWatch.Trigger) {
        guard !stopping else { return }
        switch trigger {
        case .change(let paths): nextTrigger = "change:" + paths.joined(separator: ",")
        case .overflow: nextTrigger = "overflow"
        }
        timer?.schedule(deadline: .now())
    }

    /// The next cycle starts one interval after this one started, or right away if this one
    /// took longer than the interval: cycles never overlap and never queue up.
    private func scheduleNext(after started: ContinuousClock.Instant) {
        let wait = max(.zero, interval - (ContinuousClock.now - started))
        timer?.schedule(deadline: .now() + Self.dispatchInterval(wait))
    }

    /// SIGHUP: read the file again; a bad file is logged (file:line:column) and the old
    /// configuration kept, so a typo never stops the watching.
    private func reloadConfiguration() {
        guard !stopping else { return }
        guard let reload else {
            logger.warning(
                "SIGHUP ignored: the daemon was started without --config, there is no file to re-read")
            return
        }
        guard !reloading else {
            logger.warning("SIGHUP ignored: the previous reload is still reading the configuration file")
            return
        }
        // The file is read off the loop's queue: whatever the file system does (a FIFO put in its
        // place, a hung network mount), cycles, watchdog pings and SIGTERM go on. The result is
        // applied back on the queue, between cycles.
        reloading = true
        DispatchQueue.global(qos: .utility).async { [self] in
            let result = Result { () throws(DriftConfigurationError) in try reload() }
            queue.async { [self] in
                reloading = false
                guard !stopping else { return }
                apply(result)
            }
        }
    }

    private func apply(_ result: Result<DriftConfiguration, DriftConfigurationError>) {
        switch result {
        case .success(let new):
            if new.databasePath != configuration.databasePath { store = nil }
            let intervalChanged = new.interval != configuration.interval
            configuration = new
            changeWatch?.start(new)
            logger.notice(
                "configuration reloaded",
                metadata: [
                    "config": .string(new.sourcePath ?? ""), "hooks": .string(String(new.hooks.count)),
                    "interval": .string(Self.text(interval)),
                ])
            if intervalChanged { timer?.schedule(deadline: .now() + Self.dispatchInterval(interval)) }
            if let problem = reloadProblem {
                reloadProblem = nil
                raise([
                    DriftEvent(
                        kind: .recovered, snapshot: nil, report: nil, message: "resolved: " + problem.message,
                        recovered: .problem(problem))
                ])
            }
        case .failure(let error):
            // An `error` event (log line, event log, hooks) and a metric; `systemctl reload` fails
            // too, through ExecReload's `daemon --check-config` (see systemd/kms-drift.service).
            metrics.reloadFailuresTotal += 1
            writeMetrics()
            let reasonCase = Mirror(reflecting: error.reason).children.first?.label ?? "reason"
            let problem = CycleProblem(
                kind: .reload, identity: "reload|\(error.file):\(error.line):\(error.column)|\(reasonCase)",
                message: "configuration not reloaded, the previous one is kept: \(error.description)")
            let repeated = reloadProblem?.identity == problem.identity
            reloadProblem = problem
            guard !repeated else {
                logger.error(
                    "configuration not reloaded; keeping the previous one",
                    metadata: ["error": .string(problem.message)])
                return
            }
            raise([
                DriftEvent(
                    kind: .error, snapshot: nil, report: nil, message: problem.message, problem: problem)
            ])
        }
    }

    /// SIGTERM / SIGINT: runs between cycles (same queue), so no cycle is cut short.
    private func stop(signal name: String) {
        guard !stopping else { return }
        stopping = true
        notifier?.notify("STOPPING=1")
        timer?.cancel()
        changeWatch?.stop()
        watchdog?.cancel()
        for source in signalSources { source.cancel() }
        store = nil  // SnapshotStore closes SQLite when released
        logger.info(
            "kms-drift daemon stopped",
            metadata: ["signal": .string(name), "cycles": .string(String(cycles))])
        finished.signal()
    }

    /// How long SIGTERM waits for running hooks before it kills them.
    static let hookShutdownGrace: Duration = .seconds(5)

    static func summary(of report: DriftReport) -> String {
        guard !report.isClean else { return "no drift: same as the reference" }
        let counts = report.countsBySeverity
        let parts = Severity.allCases.compactMap { severity in counts[severity].map { "\($0) \(severity)" } }
        return
            "drift: \(report.changeCount) difference\(report.changeCount == 1 ? "" : "s") (\(parts.joined(separator: ", ")))"
    }

    static func dispatchInterval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func text(_ duration: Duration) -> String {
        let milliseconds = Int(seconds(duration) * 1000)
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
