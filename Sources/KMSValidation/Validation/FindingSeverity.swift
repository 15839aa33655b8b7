import DriftCore

extension Finding.Level {
    /// The drift severity a finding counts as for `check --fail-on`: an error is critical (kms-server
    /// refuses it or fails with it), a warning a warning, a note info.
    package var severity: Severity {
        switch self {
        case .error: return .critical
        case .warning: return .warning
        case .note: return .info
        }
    }
}

extension Array where Element == Finding {
    /// Whether these findings fail a pipeline step: any error when `threshold` is nil (as
    /// `validate`), else any finding at least as severe as `threshold`.
    package func fails(at threshold: Severity?) -> Bool {
        guard let threshold else { return errorCount > 0 }
        return contains { $0.level.severity >= threshold }
    }
}
