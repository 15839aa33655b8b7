import DriftConfig
import DriftCore
import DriftOperations
import Logging

/// Raises the events of a cycle: one log line each, a JSON line in the event log when
/// configured, and every hook subscribed to the event's kind. The daemon and the one-shot
/// `kms-drift snapshot` both call it, so cron and systemd see the same alerts.
///
/// Nothing here throws: a failing event log or hook is logged and counted, never allowed to
/// stop the daemon or change the one-shot's exit status.
package struct Alerter: Sendable {
    package let configuration: DriftConfiguration
    package let logger: Logger
    package let hookRunner: HookRunner
    package let secrets: SecretPolicy
    /// Where hooks run: `nil` runs them in `raise`, one after the other (the one-shot); the daemon
    /// gives its scheduler, so hooks never hold up its queue (see ``HookScheduler``).
    package let scheduler: HookScheduler?
    /// Called with each hook run's success when it ends (from the scheduler's thread).
    package let hookFinished: (@Sendable (Bool) -> Void)?

    package init(
        configuration: DriftConfiguration, logger: Logger, hookRunner: HookRunner = HookRunner(),
        secrets: SecretPolicy = SecretPolicy(), scheduler: HookScheduler? = nil,
        hookFinished: (@Sendable (Bool) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.logger = logger
        self.hookRunner = hookRunner
        self.secrets = secrets
        self.scheduler = scheduler
        self.hookFinished = hookFinished
    }

    /// What raising a batch of events cost, for the metrics. With a scheduler, failures are
    /// reported later through `hookFinished`; runs dropped because a hook's backlog was full count
    /// as failures at once.
    package struct Outcome: Sendable, Equatable {
        package var hookRuns = 0
        package var hookFailures = 0
    }

    /// Raises `events` in order: log lines and the event log now; hooks now, one after the other
    /// (no scheduler), or queued on the scheduler, each bounded by its timeout.
    @discardableResult
    package func raise(_ events: [DriftEvent]) -> Outcome {
        var outcome = Outcome()
        for event in events {
            logger.log(
                level: EventLogLine.level(of: event), EventLogLine.message(of: event),
                metadata: EventLogLine.metadata(of: event))
            let payload = EventPayload(event: event)
            let json = payload.json(secrets: secrets)
            if let path = configuration.eventLogPath {
                do {
                    if let notice = try EventLogFile(path: path).append(json) {
                        logger.warning("\(notice)", metadata: ["event": .string(event.kind.rawValue)])
                    }
                } catch {
                    logger.warning("\(error.description)", metadata: ["event": .string(event.kind.rawValue)])
                }
            }
            for hook in configuration.hooks where hook.events.contains(event.kind) {
                outcome.hookRuns += 1
                guard let scheduler else {
                    if !run(hook, payload: payload, json: json) { outcome.hookFailures += 1 }
                    continue
                }
                let queued = scheduler.submit(hook: hook.name) { [self] in
                    let succeeded = run(hook, payload: payload, json: json)
                    hookFinished?(succeeded)
                }
                if !queued {
                    outcome.hookFailures += 1
                    logger.warning(
                        "hook not run: \(scheduler.maximumBacklog) earlier events are still waiting for it",
                        metadata: ["hook": .string(hook.name), "event": .string(event.kind.rawValue)])
                }
            }
        }
        return outcome
    }

    /// Runs one hook and logs how it ended; true when it exited 0.
    private func run(_ hook: DriftConfiguration.Hook, payload: EventPayload, json: String) -> Bool {
        var fields: Logger.Metadata = [
            "hook": .string(hook.name), "event": .string(payload.event.kind.rawValue),
        ]
        let environment = hook.environment.merging(payload.environment) { _, event in event }
        do {
            let result = try hookRunner.run(
                command: hook.command, environment: environment, input: Array((json + "\n").utf8),
                timeout: hook.timeout)
            fields["status"] = .string(result.statusText)
            fields["duration"] = .string(Self.seconds(result.duration))
            if result.succeeded {
                logger.info("hook finished", metadata: fields)
                return true
            }
            let output = result.output.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
            if !output.isEmpty { fields["output"] = .string(output) }
            if result.termination == .timedOut {
                fields["timeout"] = .string("\(hook.timeout.components.seconds)s")
            }
            logger.warning("hook failed", metadata: fields)
            return false
        } catch {
            fields["status"] = "not started"
            fields["error"] = .string(error.description)
            logger.warning("hook failed", metadata: fields)
            return false
        }
    }

    /// `0.012s`: milliseconds are enough to tell a slow hook.
    static func seconds(_ duration: Duration) -> String {
        let milliseconds =
            duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        let fraction = milliseconds % 1000
        let padded = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(milliseconds / 1000).\(padded)s"
    }
}
