/// Renders a report for a person: grouped by file, most severe first, one line per
/// difference with `old → new` and the line on each side, then a summary line. File names, key
/// paths and values are printed with control characters escaped (``TerminalText``): a name with
/// ESC or a newline in it can neither forge a report line nor drive the terminal.
package struct TextReportRenderer: Sendable {
    package let formatter: ValueFormatter
    /// ANSI colour; the caller decides (TTY and no `NO_COLOR`).
    package let useColor: Bool

    package init(formatter: ValueFormatter, useColor: Bool) {
        self.formatter = formatter
        self.useColor = useColor
    }

    package func render(_ report: DriftReport, referenceName: String? = nil, currentName: String? = nil)
        -> String
    {
        var lines: [String] = []
        for file in report.files.sorted(by: Self.moreSevereFirst) {
            let refName = file.path.isEmpty ? (referenceName ?? report.reference) : file.path
            let curName = file.path.isEmpty ? (currentName ?? report.current) : file.path
            let title = file.path.isEmpty ? "\(report.reference) → \(report.current)" : file.path
            lines.append(bold(TerminalText.escaped(title)))
            if file.status != .changed {
                lines.append("  " + tag(file.fileSeverity) + "  " + TerminalText.escaped(fileLine(file)))
            }
            let ordered = file.differences.enumerated().sorted { lhs, rhs in
                lhs.element.severity != rhs.element.severity
                    ? lhs.element.severity > rhs.element.severity : lhs.offset < rhs.offset
            }
            for (_, difference) in ordered {
                lines.append(
                    "  " + tag(difference.severity) + "  "
                        + TerminalText.escaped(line(for: difference, refName, curName)))
            }
            lines.append("")
        }
        lines.append(summary(report))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `3 differences: 1 critical, 2 warning` or `no differences`.
    package func summary(_ report: DriftReport) -> String {
        Self.summary(changeCount: report.changeCount, counts: report.countsBySeverity)
    }

    /// The same line from the numbers alone (a comparison kept in the store).
    package static func summary(changeCount total: Int, counts: [Severity: Int]) -> String {
        guard total > 0 else { return "no differences" }
        let parts = Severity.allCases.compactMap { severity in
            counts[severity].map { "\($0) \(severity)" }
        }
        return "\(total) difference\(total == 1 ? "" : "s"): " + parts.joined(separator: ", ")
    }

    private func line(for difference: Difference, _ refName: String, _ curName: String) -> String {
        let path = difference.path.description
        let old = difference.oldValue.map { formatter.text($0, at: difference.path) }
        let new = difference.newValue.map { formatter.text($0, at: difference.path) }
        let refLine = difference.oldLocation.map { "\(refName):\($0.line)" }
        let curLine = difference.origin ?? difference.newLocation.map { "\(curName):\($0.line)" }
        switch difference.kind {
        case .added:
            return "\(path)  added \(new ?? "")  (\(curLine ?? curName))"
        case .removed:
            return "\(path)  removed \(old ?? "")  (\(refLine ?? refName))"
        case .changed:
            return "\(path)  \(old ?? "") → \(new ?? "")  (\(refLine ?? refName) → \(curLine ?? curName))"
        case .typeChanged:
            let oldType = difference.oldValue?.typeName ?? "?"
            let newType = difference.newValue?.typeName ?? "?"
            return "\(path)  \(old ?? "") (\(oldType)) → \(new ?? "") (\(newType))  "
                + "(\(refLine ?? refName) → \(curLine ?? curName))"
        }
    }

    private func fileLine(_ file: FileDrift) -> String {
        switch file.status {
        case .added: return "file added" + (file.currentSummary.map { " (\($0))" } ?? "")
        case .removed: return "file removed" + (file.referenceSummary.map { " (was \($0))" } ?? "")
        case .contentChanged:
            return "content changed: \(file.referenceSummary ?? "?") → \(file.currentSummary ?? "?")"
        case .kindChanged:
            return "kind changed: \(file.referenceSummary ?? "?") → \(file.currentSummary ?? "?")"
        case .modeChanged:
            return "mode changed: \(file.referenceSummary ?? "?") → \(file.currentSummary ?? "?")"
        case .changed: return ""
        }
    }

    private func tag(_ severity: Severity) -> String {
        let padded = severity.rawValue + String(repeating: " ", count: 8 - severity.rawValue.count)
        guard useColor else { return padded }
        let code: String
        switch severity {
        case .critical: code = "1;31"
        case .warning: code = "33"
        case .info: code = "36"
        }
        return "\u{1B}[\(code)m\(padded)\u{1B}[0m"
    }

    private func bold(_ text: String) -> String {
        useColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }

    static func moreSevereFirst(_ lhs: FileDrift, _ rhs: FileDrift) -> Bool {
        let left = lhs.maximumSeverity ?? .info
        let right = rhs.maximumSeverity ?? .info
        return left != right ? left > right : lhs.path < rhs.path
    }
}
