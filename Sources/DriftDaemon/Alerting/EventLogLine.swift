import DriftCore
import DriftOperations
import KMSValidation
import Logging

/// How an event is logged: its level (which becomes the journal priority) and its
/// `key=value` fields. The fields are what an operator greps for in `journalctl -u kms-drift`.
enum EventLogLine {
    /// critical drift → `.critical` (`<2>`), warning → `.warning` (`<4>`), info drift and
    /// recovered → `.info` (`<6>`), error, violation and network-disagreement → `.error` (`<3>`), pending-restart and
    /// network-stale → `.warning`, expiring → `.warning` at 30 days, `.critical` at 7 days and at expiry.
    static func level(of event: DriftEvent) -> Logger.Level {
        switch event.kind {
        case .recovered: return .info
        case .error, .violation: return .error
        case .expiring: return event.severity == .critical ? .critical : .warning
        case .pendingRestart, .networkStale: return .warning
        case .networkDisagreement: return .error
        case .drift:
            switch event.report?.maximumSeverity {
            case .critical: return .critical
            case .warning: return .warning
            case .info, nil: return .info
            }
        }
    }

    static func message(of event: DriftEvent) -> Logger.Message {
        switch event.kind {
        case .drift: return "the configuration drifted from the reference"
        case .recovered:
            switch event.recovered {
            case .drift, nil: return "the configuration is back to the reference"
            case .violation: return "the kms-server configuration meets the policy again"
            case .network: return "every party of the network states the same shared configuration again"
            case .problem(let problem):
                switch problem.kind {
                case .backup: return "the backup works again"
                case .reload: return "the configuration file reloads again"
                case .unreadable: return "a watched file is readable again"
                case .comparison: return "a watched file parses again"
                case .network: return "the network's statements can be checked again"
                default: return "a problem is gone"
                }
            }
        case .error: return "a cycle failed"
        case .violation: return "the kms-server configuration breaks the policy"
        case .expiring: return "a TLS certificate kms-server uses is about to expire or has expired"
        case .pendingRestart:
            return
                "the configuration on disk is not what kms-server runs: it takes effect at its next restart"
        case .networkDisagreement: return "a party of the network states another shared configuration"
        case .networkStale: return "a party of the network has published no recent statement"
        }
    }

    static func metadata(of event: DriftEvent) -> Logger.Metadata {
        var fields: Logger.Metadata = ["event": .string(event.kind.rawValue)]
        if let snapshot = event.snapshot { fields["snapshot"] = .string(String(snapshot.rawValue)) }
        if let report = event.report {
            fields["files"] = .string(String(report.files.count))
            let counts = report.countsBySeverity
            for severity in Severity.allCases {
                fields[severity.rawValue] = .string(String(counts[severity] ?? 0))
            }
            let paths = report.mostSevereKeyPaths()
            if !paths.isEmpty { fields["keys"] = .string(paths.joined(separator: ",")) }
        }
        if !event.findings.isEmpty {
            let errors = event.findings.filter { $0.level == .error }.sortedByPosition()
            fields["violations"] = .string(String(errors.count))
            fields["keys"] = .string(errors.prefix(5).map(\.position).joined(separator: ","))
            // What is wrong, not only where: the rule (the key it is about) and what it found.
            if let first = errors.first {
                fields["rule"] = .string(first.path.description)
                fields["violation"] = .string(first.message)
            }
        }
        if let recovered = event.recovered {
            fields["recovered"] = .string(recovered.name)
            if case .problem(let problem) = recovered { fields["resolved"] = .string(problem.message) }
        } else if let message = event.message {
            fields["error"] = .string(message)
        }
        return fields
    }
}
