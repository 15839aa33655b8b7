extension DriftReport {
    /// Whether a pipeline step should fail on this report (`check --fail-on`): on any difference
    /// when `threshold` is nil, else on a difference at least as severe as `threshold`.
    package func fails(at threshold: Severity?) -> Bool {
        guard let threshold else { return !isClean }
        return maximumSeverity.map { $0 >= threshold } ?? false
    }
}
