import Backup
import DriftConfig
import DriftCore
import KMSValidation
import SnapshotStore

/// What one cycle did and found.
package struct CycleOutcome: Sendable {
    package let snapshot: SnapshotResult
    /// The comparison with the reference; `nil` when it failed (see the `error` event).
    package let report: DriftReport?
    /// True when this cycle's snapshot became the baseline (the first of an empty store).
    package let baselineCreated: Bool
    /// Events to raise, already de-duplicated against earlier cycles.
    package let events: [DriftEvent]
    /// Findings on the watched kms-server config (`[validate] kms_config`); empty when not set.
    package let validation: [Finding]
    /// Every problem this cycle found (an unreadable file, a comparison that failed), raised or
    /// not: an `error` event goes out once per problem, but the one-shot exits 2 while it lasts.
    package let problems: [String]
    /// The network fingerprint of the effective configuration (`[effective]`), for the metric.
    package let networkFingerprint: String?
    /// What `[backup]` did this cycle; `nil` when it is not set or the backup failed (a problem).
    package let backup: BackupDirectory.Outcome?
    /// The certificates `[validate] kms_config` names, as read this cycle (for the expiry metric).
    package var certificates: [CertificateStatus] = []
    /// `[network]`: the parties per state (agree, differ, missing, stale, invalid); `nil` when not checked.
    package internal(set) var networkParties: [String: Int]? = nil

    package init(
        snapshot: SnapshotResult, report: DriftReport?, baselineCreated: Bool, events: [DriftEvent],
        validation: [Finding] = [], problems: [String] = [], backup: BackupDirectory.Outcome? = nil,
        networkFingerprint: String? = nil
    ) {
        self.networkFingerprint = networkFingerprint
        self.backup = backup
        self.snapshot = snapshot
        self.report = report
        self.baselineCreated = baselineCreated
        self.events = events
        self.validation = validation
        self.problems = problems
    }

    /// The one-shot exit status: 0 nothing to report, 1 drift or validation errors, 2 error.
    package var exitStatus: ExitStatus {
        guard let report, problems.isEmpty else { return .failure }
        return .findings(if: !report.isClean || validation.errorCount > 0)
    }
}

/// One cycle as both the daemon and the one-shot run it: what it found, or why it failed.
package struct CycleRun: Sendable {
    /// `nil` when the snapshot itself failed (`failure` says why).
    package let outcome: CycleOutcome?
    package let failure: String?
    /// What the caller must tell the operator although nothing failed: database files found
    /// readable by others and made owner-only when the store was opened.
    package let notices: [String]

    /// The stable identity of `failure` (see ``ProblemIdentity``), for de-duplication.
    package let failureIdentity: String?

    package init(
        outcome: CycleOutcome?, failure: String?, notices: [String] = [], failureIdentity: String? = nil
    ) {
        self.outcome = outcome
        self.failure = failure
        self.notices = notices
        self.failureIdentity = failureIdentity ?? failure
    }

    /// The events to raise: the cycle's own, or one `error` event for a failed cycle.
    package var events: [DriftEvent] {
        if let outcome { return outcome.events }
        let problem = CycleProblem(
            kind: .cycle, identity: failureIdentity ?? "cycle", message: failure ?? "the cycle failed")
        return [DriftEvent(kind: .error, snapshot: nil, report: nil, message: failure, problem: problem)]
    }

    /// Every problem of the cycle, whether or not an event was raised for it this time.
    package var problems: [String] {
        if let outcome { return outcome.problems }
        return [failure ?? "the cycle failed"]
    }

    /// The one-shot exit status: 0 nothing to report, 1 drift or validation errors, 2 error.
    package var exitStatus: ExitStatus { outcome?.exitStatus ?? .failure }
}

/// Something the operator must hear about.
package struct DriftEvent: Sendable {
    package let kind: EventKind
    package let snapshot: SnapshotID?
    package let report: DriftReport?
    /// For `error` events: what failed; for network events and their `recovered`: what the
    /// parties disagree on, or that they agree again. In operator words.
    package let message: String?
    /// For `violation` events: the validation findings (errors and warnings).
    package let findings: [Finding]
    /// For events without a report (`expiring`): how severe it is.
    package let severity: Severity?

    /// For `error` events: the problem, with its stable identity.
    package let problem: CycleProblem?
    /// For `recovered` events: what recovered.
    package let recovered: Recovery?

    /// What a `recovered` event says is over.
    package enum Recovery: Sendable, Equatable {
        /// The configuration is back to the reference.
        case drift
        /// The kms-server configuration meets the policy again.
        case violation
        /// One problem an `error` was raised for is gone (a file's parse error, a backup failure…).
        case problem(CycleProblem)
        /// Every party states the same shared configuration again (`[network]`).
        case network

        /// The word hooks and the event log get: `drift`, `violation`, or the problem's kind.
        package var name: String {
            switch self {
            case .drift: return "drift"
            case .violation: return "violation"
            case .problem(let problem): return problem.kind.rawValue
            case .network: return "network"
            }
        }
    }

    package init(
        kind: EventKind, snapshot: SnapshotID?, report: DriftReport?, message: String?,
        findings: [Finding] = [], problem: CycleProblem? = nil, recovered: Recovery? = nil,
        severity: Severity? = nil
    ) {
        self.kind = kind
        self.snapshot = snapshot
        self.report = report
        self.message = message
        self.findings = findings
        self.severity = severity
        self.problem = problem
        self.recovered = recovered
    }
}
