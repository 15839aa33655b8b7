import Foundation
import TOML
import TestSupport
import Testing

@testable import DriftCore

/// A report kept as bytes reads back as the same report: rendered as text and as JSON, it is
/// the same, for every kind of value; damaged bytes read as nothing, never as a wrong report.
@Suite("Report encoding")
struct ReportEncodingTests {
    static let corpus = TestPaths.shared.appendingPathComponent("corpus/kms")

    static func rendered(_ report: DriftReport) -> (text: String, json: String) {
        let formatter = ValueFormatter(secrets: SecretPolicy())
        return (
            TextReportRenderer(formatter: formatter, useColor: false).render(report),
            JSONReportRenderer(formatter: formatter).render(report)
        )
    }

    static func report(_ reference: String, _ current: String, path: String = "node.toml") throws
        -> DriftReport
    {
        let old = try ConfigFile.parse(Array(reference.utf8), path: "ref/" + path)
        let new = try ConfigFile.parse(Array(current.utf8), path: "cur/" + path)
        let differences = ConfigDiff().differences(from: old.root, to: new.root)
        return DriftReport(
            reference: "snapshot #1", current: "/etc/kms",
            files: [
                FileDrift(path: path, status: .changed, differences: differences),
                FileDrift(
                    path: "ca.pem", status: .contentChanged, fileSeverity: .critical,
                    referenceSummary: "hmac:0123456789ab, 12 bytes", currentSummary: nil),
                FileDrift(path: "gone.toml", status: .removed, fileSeverity: .info, referenceSummary: "x"),
            ])
    }

    static let everyKind = """
        title = "clé \\u00e9"
        count = -9223372036854775808
        ratio = 0.1
        big = 1e300
        nan = nan
        negzero = -0.0
        on = true
        when = 1979-05-27T07:32:00.999999-07:00
        local = 1979-05-27T07:32:00
        day = 1979-05-27
        time = 07:32:00.5
        list = [1, "two", [3.0, { four = 4 }], []]
        inline = { a = 1, b = { c = [true] } }
        [[peers]]
        party_id = 1
        address = "p1:50001"
        [[peers]]
        party_id = 2
        address = "p2:50001"
        [deep.er.table]
        x = 1
        """

    @Test("every kind of value, added, removed and changed, reads back as the same report")
    func everyKindRoundTrips() throws {
        for report in [
            try Self.report("", Self.everyKind), try Self.report(Self.everyKind, ""),
            try Self.report(Self.everyKind, Self.everyKind.replacingOccurrences(of: "1", with: "7")),
        ] {
            let decoded = try #require(ReportEncoding.decode(ReportEncoding.encode(report)))
            #expect(Self.rendered(decoded).text == Self.rendered(report).text)
            #expect(Self.rendered(decoded).json == Self.rendered(report).json)
            #expect(decoded.changeCount == report.changeCount)
            #expect(decoded.maximumSeverity == report.maximumSeverity)
        }
    }

    @Test("every corpus configuration, as an added file and against its own edit, reads back the same")
    func corpusRoundTrips() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
            .filter { $0.hasSuffix(".toml") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            let text = try String(contentsOf: Self.corpus.appendingPathComponent(name), encoding: .utf8)
            guard (try? ConfigFile.parse(Array(text.utf8), path: name)) != nil else { continue }
            let edited = text.replacingOccurrences(of: "1", with: "2")
            for report in [try Self.report("", text, path: name)]
                + ((try? Self.report(text, edited, path: name)).map { [$0] } ?? [])
            {
                let decoded = try #require(ReportEncoding.decode(ReportEncoding.encode(report)), "\(name)")
                #expect(Self.rendered(decoded).text == Self.rendered(report).text, "\(name)")
                #expect(Self.rendered(decoded).json == Self.rendered(report).json, "\(name)")
            }
        }
    }

    @Test("truncated, extended or altered bytes read as nothing")
    func damagedBytesRefused() throws {
        let bytes = ReportEncoding.encode(try Self.report("a = 1\n[t]\nb = [1]\n", "a = 2\n[t]\nb = [2]\n"))
        #expect(ReportEncoding.decode(bytes) != nil)
        for length in 0..<bytes.count {
            #expect(ReportEncoding.decode(Array(bytes.prefix(length))) == nil, "\(length)")
        }
        #expect(ReportEncoding.decode(bytes + [0]) == nil)
        var otherVersion = bytes
        otherVersion[4] &+= 1
        #expect(ReportEncoding.decode(otherVersion) == nil)
        // A count that claims more than the bytes hold does not allocate it.
        var hugeCount = Array(bytes.prefix(5))
        hugeCount += [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]
        #expect(ReportEncoding.decode(hugeCount) == nil)
    }

    @Test("a nesting deeper than any parser builds reads as nothing")
    func deepNestingRefused() throws {
        let depth = 1_100
        var table = TOMLValue.integer(1)
        for _ in 0..<depth {
            let array = TOMLArray(location: .start, isArrayOfTables: false)
            array.append(table, at: .start)
            table = .array(array)
        }
        let report = DriftReport(
            reference: "r", current: "c",
            files: [
                FileDrift(
                    path: "x.toml", status: .changed,
                    differences: [
                        Difference(
                            kind: .added, path: KeyPath(keys: "a"), oldValue: nil, newValue: table,
                            oldLocation: nil, newLocation: .start, severity: .info)
                    ])
            ])
        #expect(ReportEncoding.decode(ReportEncoding.encode(report)) == nil)
    }
}
