import Foundation
import TOML
import Testing

@testable import DriftCore

@Suite("Report rendering")
struct ReportRenderingTests {
    func report() throws -> DriftReport {
        let reference =
            "[service]\nlisten_port = 50100\n[telemetry]\ntracing_service_name = \"a\"\n[threshold]\nthreshold = 4\n"
        let current =
            "[service]\nlisten_port = 50101\n[telemetry]\ntracing_service_name = \"b\"\n[threshold]\nthreshold = 3\n"
        let differences = try Fixtures.diff(reference, current)
        return DriftReport(
            reference: "ref.toml", current: "cur.toml",
            files: [FileDrift(path: "", status: .changed, differences: differences)])
    }

    @Test("text: most severe first, old → new with both lines, summary line")
    func text() throws {
        let output = TextReportRenderer(formatter: ValueFormatter(secrets: SecretPolicy()), useColor: false)
            .render(try report())
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines[0] == "ref.toml → cur.toml")
        #expect(lines[1] == "  critical  threshold.threshold  4 → 3  (ref.toml:6 → cur.toml:6)")
        #expect(lines[2] == "  warning   service.listen_port  50100 → 50101  (ref.toml:2 → cur.toml:2)")
        #expect(lines[3].hasPrefix("  info      telemetry.tracing_service_name  \"a\" → \"b\""))
        #expect(lines.last == "3 differences: 1 critical, 1 warning, 1 info")
        #expect(!output.contains("\u{1B}["))
    }

    @Test("colour only when asked")
    func color() throws {
        let output = TextReportRenderer(formatter: ValueFormatter(secrets: SecretPolicy()), useColor: true)
            .render(try report())
        #expect(output.contains("\u{1B}[1;31mcritical"))
    }

    @Test("JSON: the documented schema, valid JSON, stable order")
    func json() throws {
        let output = JSONReportRenderer(formatter: ValueFormatter(secrets: SecretPolicy())).render(
            try report())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "kms-drift.report/1")
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["differences"] as? Int == 3)
        #expect(summary["critical"] as? Int == 1)
        #expect(summary["max_severity"] as? String == "critical")
        let files = try #require(object["files"] as? [[String: Any]])
        let differences = try #require(files.first?["differences"] as? [[String: Any]])
        let first = try #require(differences.first { $0["path"] as? String == "threshold.threshold" })
        #expect(first["old"] as? Int == 4)
        #expect(first["new"] as? Int == 3)
        #expect(first["ref_line"] as? Int == 6)
        #expect(first["kind"] as? String == "changed")
        #expect(first["redacted"] as? Bool == false)
        #expect(
            output
                == JSONReportRenderer(formatter: ValueFormatter(secrets: SecretPolicy())).render(try report())
        )
    }

    @Test("a clean report says so")
    func clean() {
        let report = DriftReport(reference: "a", current: "b", files: [])
        #expect(report.isClean)
        let output = TextReportRenderer(formatter: ValueFormatter(secrets: SecretPolicy()), useColor: false)
            .render(report)
        #expect(output == "no differences\n")
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("pretty output: two-space indentation, closing brackets at their opener's depth")
    func layout() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("a")
        writer.number(1)
        writer.key("b")
        writer.beginArray()
        writer.beginObject()
        writer.key("c")
        writer.string("x\"y\n")
        writer.endObject()
        writer.endArray()
        writer.key("empty")
        writer.beginArray()
        writer.endArray()
        writer.endObject()
        #expect(
            writer.output == """
                {
                  "a": 1,
                  "b": [
                    {
                      "c": "x\\"y\\n"
                    }
                  ],
                  "empty": []
                }
                """)
    }

    @Test("compact output has no whitespace")
    func compact() {
        var writer = JSONWriter(pretty: false)
        writer.beginObject()
        writer.key("a")
        writer.beginArray()
        writer.number(1)
        writer.raw("null")
        writer.endArray()
        writer.endObject()
        #expect(writer.output == "{\"a\":[1,null]}")
    }
}
