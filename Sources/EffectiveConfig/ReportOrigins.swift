import DriftCore

/// Names in a drift report where each changed value of an effective configuration came from:
/// "set by env `KMS_CORE__PUBLIC_VAULT__STORAGE__S3__BUCKET`", "by /etc/config/kms_core.toml:3".
package enum ReportOrigins {
    /// `report` with the differences of `file` (its path in the report; empty for two single
    /// files) carrying the origin of their current value in `configuration`.
    package static func annotate(
        _ report: DriftReport, file: String, with configuration: EffectiveConfiguration
    )
        -> DriftReport
    {
        let files = report.files.map { drift -> FileDrift in
            guard drift.path == file, drift.status == .changed else { return drift }
            let differences = drift.differences.map { annotated($0, with: configuration) }
            return FileDrift(
                path: drift.path, status: drift.status, differences: differences,
                fileSeverity: drift.fileSeverity,
                referenceSummary: drift.referenceSummary, currentSummary: drift.currentSummary)
        }
        return DriftReport(reference: report.reference, current: report.current, files: files)
    }

    /// `difference` carrying the origin of its current value in `configuration`, when it has one.
    package static func annotated(_ difference: Difference, with configuration: EffectiveConfiguration)
        -> Difference
    {
        var result = difference
        if difference.newValue != nil, let origin = configuration.origin(at: difference.path) {
            result.origin = origin.phrase
        }
        return result
    }
}
