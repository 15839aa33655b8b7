/// `check`'s differences as pipeline annotations: each on the current file's line (the
/// reference's for a removed key), one class per severity, values shown as in the text report
/// (secrets as fingerprints).
package struct DriftAnnotations: Sendable {
    package let formatter: ValueFormatter

    package init(formatter: ValueFormatter) {
        self.formatter = formatter
    }

    package func annotations(_ report: DriftReport) -> [PipelineAnnotation] {
        var result: [PipelineAnnotation] = []
        for file in report.files {
            let currentFile = Self.join(report.current, file.path)
            let referenceFile = Self.join(report.reference, file.path)
            if file.status != .changed {
                let onReference = file.status == .removed
                result.append(
                    annotation(
                        file.fileSeverity, file: onReference ? referenceFile : currentFile, line: nil,
                        column: nil,
                        title: file.path.isEmpty ? currentFile : file.path,
                        message: "file \(file.status.rawValue)"
                            + (file.currentSummary.map { " (\($0))" } ?? "")))
                continue
            }
            for difference in file.differences {
                let onReference = difference.newLocation == nil
                let location = difference.newLocation ?? difference.oldLocation
                result.append(
                    annotation(
                        difference.severity, file: onReference ? referenceFile : currentFile,
                        line: location?.line, column: location?.column, title: difference.path.description,
                        message: message(difference)))
            }
        }
        return result
    }

    private func message(_ difference: Difference) -> String {
        let old = difference.oldValue.map { formatter.text($0, at: difference.path) } ?? ""
        let new = difference.newValue.map { formatter.text($0, at: difference.path) } ?? ""
        let origin = difference.origin.map { " (\($0))" } ?? ""
        switch difference.kind {
        case .added: return "\(difference.severity) drift: added \(new)\(origin)"
        case .removed: return "\(difference.severity) drift: removed \(old) (present in the reference)"
        case .changed: return "\(difference.severity) drift: \(old) → \(new)\(origin)"
        case .typeChanged:
            let oldType = difference.oldValue?.typeName ?? "?"
            let newType = difference.newValue?.typeName ?? "?"
            return "\(difference.severity) drift: \(old) (\(oldType)) → \(new) (\(newType))\(origin)"
        }
    }

    private func annotation(
        _ severity: Severity, file: String, line: Int?, column: Int?, title: String, message: String
    ) -> PipelineAnnotation {
        let level: PipelineAnnotation.Level
        switch severity {
        case .critical: level = .error
        case .warning: level = .warning
        case .info: level = .note
        }
        return PipelineAnnotation(
            level: level, ruleID: "drift-\(severity)", ruleDescription: Self.descriptions[severity] ?? "",
            file: file, line: line, column: column, title: title, message: message)
    }

    static let descriptions: [Severity: String] = [
        .critical:
            "A difference in what the node trusts or where its keys live (threshold, peers, TLS, vaults).",
        .warning:
            "A difference in how the node behaves or must agree with the other parties (ports, timeouts, limits).",
        .info: "A cosmetic difference (telemetry names, log settings).",
    ]

    private static func join(_ base: String, _ relative: String) -> String {
        guard !relative.isEmpty else { return base }
        return base.hasSuffix("/") ? base + relative : base + "/" + relative
    }
}
