import DriftCore

/// `network check`'s output: text for people, JSON (`kms-drift.network-check/1`) for machines.
package enum NetworkReportRenderer {
    package static let schema = "kms-drift.network-check/1"

    /// One line per finding, then a summary line.
    package static func text(_ report: NetworkReport) -> String {
        var lines: [String] = []
        let reference: String
        let holder: String
        switch report.reference {
        case .majority: (reference, holder) = ("the value most parties state", "most parties")
        case .party(let id): (reference, holder) = ("party \(id)", "party \(id)")
        }
        for party in report.parties {
            let id = party.partyID
            switch party.state {
            case .agree:
                continue
            case .differ:
                for difference in party.differences {
                    lines.append(
                        "party \(id) differs on `\(TerminalText.escaped(difference.component))`"
                            + detail(difference, holder))
                }
            case .missing:
                lines.append("party \(id) is missing: no statement from it was found")
            case .stale:
                lines.append(
                    "party \(id) is stale: its newest statement (\(party.time ?? "?"), sequence \(party.sequence ?? 0)) "
                        + "is \(duration(party.ageSeconds ?? 0)) old, above the limit of \(duration(report.maximumAge.components.seconds))"
                )
            case .invalid:
                break
            }
            for rejected in party.rejected {
                lines.append("party \(id): \(TerminalText.escaped(rejected.source)): \(rejected.problem)")
            }
        }
        for rejected in report.unattributed {
            lines.append("\(TerminalText.escaped(rejected.source)): \(rejected.problem)")
        }
        let counts = report.counts
        let agreeing = report.parties.filter { $0.state == .agree }.map { String($0.partyID) }
        lines.append(
            "\(report.parties.count) parties, compared with \(reference): "
                + NetworkReport.State.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(
                    separator: ", ")
                + (agreeing.isEmpty ? "" : " (agree: \(agreeing.joined(separator: ", ")))"))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func detail(_ difference: NetworkReport.Difference, _ reference: String) -> String {
        if difference.digest == nil { return ": absent here, stated by \(reference)" }
        if difference.referenceDigest == nil { return ": stated here, absent at \(reference)" }
        if let value = difference.value, let other = difference.referenceValue {
            return ": \(TerminalText.escaped(value)) (\(reference): \(TerminalText.escaped(other)))"
        }
        return " (digests only: make the statements with --with-values to see the values)"
    }

    /// `2d 3h`, `5h 12m`, `40s`: enough to judge staleness.
    static func duration(_ seconds: Int64) -> String {
        if seconds >= 86_400 { return "\(seconds / 86_400)d \(seconds % 86_400 / 3600)h" }
        if seconds >= 3600 { return "\(seconds / 3600)h \(seconds % 3600 / 60)m" }
        if seconds >= 60 { return "\(seconds / 60)m \(seconds % 60)s" }
        return "\(seconds)s"
    }

    /// The report as one JSON document.
    package static func json(_ report: NetworkReport) -> String {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writer.key("schema")
        writer.string(schema)
        writer.key("reference")
        switch report.reference {
        case .majority: writer.string("majority")
        case .party(let id): writer.string("party \(id)")
        }
        writer.key("max_age_seconds")
        writer.raw(String(report.maximumAge.components.seconds))
        writer.key("summary")
        writer.beginObject()
        let counts = report.counts
        for state in NetworkReport.State.allCases {
            writer.key(state.rawValue)
            writer.raw(String(counts[state] ?? 0))
        }
        writer.endObject()
        writer.key("parties")
        writer.beginArray()
        for party in report.parties {
            writer.beginObject()
            writer.key("party_id")
            writer.raw(String(party.partyID))
            writer.key("state")
            writer.string(party.state.rawValue)
            writer.key("source")
            writer.optionalString(party.source)
            writer.key("sequence")
            writer.raw(party.sequence.map(String.init) ?? "null")
            writer.key("time")
            writer.optionalString(party.time)
            writer.key("differences")
            writer.beginArray()
            for difference in party.differences {
                writer.beginObject()
                writer.key("component")
                writer.string(difference.component)
                writer.key("digest")
                writer.optionalString(difference.digest)
                writer.key("reference_digest")
                writer.optionalString(difference.referenceDigest)
                writer.key("value")
                writer.optionalString(difference.value)
                writer.key("reference_value")
                writer.optionalString(difference.referenceValue)
                writer.endObject()
            }
            writer.endArray()
            writer.key("rejected")
            writeRejected(party.rejected, into: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.key("unattributed")
        writeRejected(report.unattributed, into: &writer)
        writer.endObject()
        return writer.output + "\n"
    }

    private static func writeRejected(_ list: [NetworkReport.Rejected], into writer: inout JSONWriter) {
        writer.beginArray()
        for rejected in list {
            writer.beginObject()
            writer.key("source")
            writer.string(rejected.source)
            writer.key("problem")
            writer.string(rejected.problem.code)
            writer.key("message")
            writer.string(rejected.problem.description)
            writer.endObject()
        }
        writer.endArray()
    }
}
