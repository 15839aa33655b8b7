import DriftCore
import SnapshotStore

extension StoredComparison {
    /// The numbers of `report`, compared with `reference`.
    package init(reference: String, report: DriftReport) {
        self.init(
            reference: reference, changeCount: report.changeCount, countsBySeverity: report.countsBySeverity)
    }

    /// `changeCount` differences, `countsBySeverity` of them by severity (a missing severity is 0).
    package init(reference: String, changeCount: Int, countsBySeverity: [Severity: Int]) {
        self.init(
            reference: reference, changeCount: changeCount, criticalCount: countsBySeverity[.critical] ?? 0,
            warningCount: countsBySeverity[.warning] ?? 0, infoCount: countsBySeverity[.info] ?? 0)
    }

    /// The differences by severity, as `DriftReport.countsBySeverity` gives them: severities with
    /// none are left out.
    package var countsBySeverity: [Severity: Int] {
        let counts: [Severity: Int] = [.critical: criticalCount, .warning: warningCount, .info: infoCount]
        return counts.filter { $0.value > 0 }
    }
}
