import DriftCore

/// Writes `validate` results for people (compiler-style lines) and machines (JSON).
///
/// Text: `file:line:column: error: key.path: message; fix.` then one summary line per file.
/// JSON: `{"files": [{"file", "kind", "errors", "warnings", "findings": [{"severity",
/// "path", "file", "line", "column", "message", "fix", "stage"}]}], "errors", "warnings"}`;
/// `stage` is `parsing`, `validation`, `start-up`, or null.
package struct ValidationReportRenderer: Sendable {
    package init() {}

    package func text(_ results: [FileValidation]) -> String {
        var output = ""
        for result in results {
            if let failure = result.failure {
                output += "\(result.file): not validated: \(failure)\n"
                continue
            }
            for finding in result.findings {
                output += Self.line(finding)
            }
            let errors = result.findings.errorCount
            let warnings = result.findings.warningCount
            if result.kind == .kmsServer {
                output +=
                    "\(result.file): \(Self.count(errors, "error")), \(Self.count(warnings, "warning"))\n"
            }
        }
        return output
    }

    /// One finding as a line: `file:line:col: level: path: message; fix`.
    package static func line(_ finding: Finding) -> String {
        let path = finding.path.isRoot ? "" : finding.path.description + ": "
        return "\(finding.position): \(finding.level.rawValue): \(path)\(finding.message); \(finding.fix)\n"
    }

    package func json(_ results: [FileValidation]) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("files")
        writer.beginArray()
        for result in results {
            writer.beginObject()
            writer.key("file")
            writer.string(result.file)
            writer.key("kind")
            writer.string(result.kind.rawValue)
            writer.key("error")
            writer.optionalString(result.failure)
            writer.key("errors")
            writer.number(result.findings.errorCount)
            writer.key("warnings")
            writer.number(result.findings.warningCount)
            writer.key("findings")
            writer.beginArray()
            for finding in result.findings { Self.write(finding, into: &writer) }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.key("errors")
        writer.number(results.map(\.findings.errorCount).reduce(0, +))
        writer.key("warnings")
        writer.number(results.map(\.findings.warningCount).reduce(0, +))
        writer.endObject()
        return writer.output + "\n"
    }

    /// One finding as JSON; the same shape in `validate --format json`, `consistency` and the
    /// `violation` event that hooks receive.
    package static func write(_ finding: Finding, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("severity")
        writer.string(finding.level.rawValue)
        writer.key("path")
        writer.string(finding.path.description)
        writer.key("file")
        writer.string(finding.file)
        writer.key("line")
        writer.number(finding.location.line)
        writer.key("column")
        writer.number(finding.location.column)
        writer.key("message")
        writer.string(finding.message)
        writer.key("fix")
        writer.string(finding.fix)
        writer.key("stage")
        writer.optionalString(finding.stage?.name)
        writer.endObject()
    }

    /// `1 error`, `2 errors`, `1 party`, `13 parties`.
    static func count(_ number: Int, _ noun: String) -> String {
        guard number != 1 else { return "1 \(noun)" }
        if noun.hasSuffix("y"), let before = noun.dropLast().last, !"aeiou".contains(before) {
            return "\(number) \(noun.dropLast())ies"
        }
        return "\(number) \(noun)s"
    }
}
