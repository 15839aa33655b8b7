import TOML

/// Renders a report as JSON for machines. The schema is versioned (`kms-drift.report/1`)
/// and documented in the README; members are always written in the same order.
package struct JSONReportRenderer: Sendable {
    package static let schema = "kms-drift.report/1"
    package let formatter: ValueFormatter

    package init(formatter: ValueFormatter) {
        self.formatter = formatter
    }

    package func render(_ report: DriftReport) -> String {
        var writer = JSONWriter()
        write(report, into: &writer)
        return writer.output + "\n"
    }

    /// Writes the report object into a larger document (hook payloads embed it).
    package func write(_ report: DriftReport, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("schema")
        writer.string(Self.schema)
        writer.key("reference")
        writer.string(report.reference)
        writer.key("current")
        writer.string(report.current)
        writer.key("summary")
        Self.writeSummary(report, into: &writer)
        writer.key("files")
        writer.beginArray()
        for file in report.files.sorted(by: TextReportRenderer.moreSevereFirst) {
            write(file, into: &writer)
        }
        writer.endArray()
        writer.endObject()
    }

    /// The `summary` object: counts by severity, files changed, the maximum severity. The same
    /// shape in reports and in events (where a failed cycle has no report: all zero, null).
    package static func writeSummary(_ report: DriftReport?, into writer: inout JSONWriter) {
        let counts = report?.countsBySeverity ?? [:]
        writer.beginObject()
        writer.key("differences")
        writer.number(report?.changeCount ?? 0)
        for severity in Severity.allCases {
            writer.key(severity.rawValue)
            writer.number(counts[severity] ?? 0)
        }
        writer.key("files_changed")
        writer.number(report?.files.count ?? 0)
        writer.key("max_severity")
        writer.optionalString(report?.maximumSeverity?.rawValue)
        writer.endObject()
    }

    private func write(_ file: FileDrift, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("path")
        writer.string(file.path)
        writer.key("status")
        writer.string(file.status.rawValue)
        writer.key("severity")
        writer.optionalString(file.maximumSeverity?.rawValue)
        if file.status != .changed {
            writer.key("reference")
            writer.optionalString(file.referenceSummary)
            writer.key("current")
            writer.optionalString(file.currentSummary)
        }
        writer.key("differences")
        writer.beginArray()
        for difference in file.differences {
            write(difference, into: &writer)
        }
        writer.endArray()
        writer.endObject()
    }

    private func write(_ difference: Difference, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("kind")
        writer.string(difference.kind.rawValue)
        writer.key("path")
        writer.string(difference.path.description)
        writer.key("severity")
        writer.string(difference.severity.rawValue)
        writer.key("old")
        writeValue(difference.oldValue, difference.path, into: &writer)
        writer.key("new")
        writeValue(difference.newValue, difference.path, into: &writer)
        writer.key("old_type")
        writer.optionalString(difference.oldValue?.typeName)
        writer.key("new_type")
        writer.optionalString(difference.newValue?.typeName)
        writer.key("ref_line")
        writer.optionalNumber(difference.oldLocation?.line)
        writer.key("cur_line")
        writer.optionalNumber(difference.newLocation?.line)
        if let origin = difference.origin {
            writer.key("origin")
            writer.string(origin)
        }
        writer.key("redacted")
        let redacted = [difference.oldValue, difference.newValue].contains { value in
            value.map { formatter.containsSecret($0, at: difference.path) } ?? false
        }
        writer.raw(redacted ? "true" : "false")
        writer.endObject()
    }

    private func writeValue(_ value: TOMLValue?, _ path: KeyPath, into writer: inout JSONWriter) {
        guard let value else {
            writer.raw("null")
            return
        }
        formatter.json(value, at: path, into: &writer)
    }
}
