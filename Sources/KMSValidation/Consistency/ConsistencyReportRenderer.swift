import DriftCore

/// Writes `consistency` results for people and machines, values through `ValueFormatter`
/// so secrets (inline PEM keys) appear only as their fingerprint.
///
/// JSON: `{"consistent", "parties": [{"file", "my_id"}], "disagreements": [{"path",
/// "majority": {"count", "value", "file", "my_id", "line", "column"}, "dissenters": [{"file",
/// "my_id", "value", "line", "column"}]}], "findings": [validate's finding objects]}`; an
/// absent value is `null` with `null` line and column.
package struct ConsistencyReportRenderer: Sendable {
    package let formatter: ValueFormatter

    package init(formatter: ValueFormatter = ValueFormatter(secrets: SecretPolicy())) {
        self.formatter = formatter
    }

    package func text(_ report: ConsistencyReport) -> String {
        var output = ""
        let total = report.parties.count
        for disagreement in report.disagreements {
            let majority = describe(disagreement.majority, path: disagreement)
            let dissenters = disagreement.dissenters.count
            output +=
                "\(disagreement.path): \(dissenters) of \(total) parties \(dissenters == 1 ? "differs" : "differ") "
                + "from the majority (\(ValidationReportRenderer.count(disagreement.majorityCount, "party")): \(majority))\n"
            for holding in disagreement.dissenters {
                output += "  \(holding.party): \(describe(holding, path: disagreement))\n"
            }
        }
        for finding in report.identityFindings {
            output += ValidationReportRenderer.line(finding)
        }
        if report.isConsistent {
            output +=
                total == 1
                ? "1 party: nothing to compare it with\n" : "\(total) parties agree on every shared value\n"
        } else {
            output +=
                "\(ValidationReportRenderer.count(report.disagreements.count, "shared value")) "
                + "\(report.disagreements.count == 1 ? "differs" : "differ"), "
                + "\(ValidationReportRenderer.count(report.identityFindings.errorCount, "my_id problem"))\n"
        }
        return output
    }

    /// `50002 at party7.toml:45:8`, or `(absent)`.
    private func describe(_ holding: Disagreement.Holding, path: Disagreement) -> String {
        guard let value = holding.value else { return "(absent) in \(holding.party.file)" }
        return formatter.text(value.value, at: path.path)
            + " at \(holding.party.file):\(value.location.line):\(value.location.column)"
    }

    package func json(_ report: ConsistencyReport) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("consistent")
        writer.raw(report.isConsistent ? "true" : "false")
        writer.key("parties")
        writer.beginArray()
        for party in report.parties {
            writer.beginObject()
            writer.key("file")
            writer.string(party.file)
            writer.key("my_id")
            writer.optionalNumber(party.myID.map { Int($0) })
            writer.endObject()
        }
        writer.endArray()
        writer.key("disagreements")
        writer.beginArray()
        for disagreement in report.disagreements {
            writer.beginObject()
            writer.key("path")
            writer.string(disagreement.path.description)
            writer.key("majority")
            write(
                disagreement.majority, at: disagreement.path, count: disagreement.majorityCount, into: &writer
            )
            writer.key("dissenters")
            writer.beginArray()
            for holding in disagreement.dissenters {
                write(holding, at: disagreement.path, count: nil, into: &writer)
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.key("findings")
        writer.beginArray()
        for finding in report.identityFindings { ValidationReportRenderer.write(finding, into: &writer) }
        writer.endArray()
        writer.endObject()
        return writer.output + "\n"
    }

    private func write(
        _ holding: Disagreement.Holding, at path: KeyPath, count: Int?, into writer: inout JSONWriter
    ) {
        writer.beginObject()
        if let count {
            writer.key("count")
            writer.number(count)
        }
        writer.key("file")
        writer.string(holding.party.file)
        writer.key("my_id")
        writer.optionalNumber(holding.party.myID.map { Int($0) })
        writer.key("value")
        if let value = holding.value {
            formatter.json(value.value, at: path, into: &writer)
        } else {
            writer.raw("null")
        }
        writer.key("line")
        writer.optionalNumber(holding.value?.location.line)
        writer.key("column")
        writer.optionalNumber(holding.value?.location.column)
        writer.endObject()
    }
}
