import DriftCore
import EffectiveConfig
import Foundation
import KMSValidation
import TestSupport
import Testing

@testable import DriftOperations

/// The use cases on files given on the command line (`check`, `validate`, `consistency`,
/// `render`): the result's exit status is the documented one.
@Suite("file operations: check, validate, consistency, render", .temporaryDirectory)
struct FileOperationsTests {
    let root: URL

    init() throws { root = try TemporaryDirectory.current().url }

    func file(_ name: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test("check: 0 for the same meaning in another spelling, 1 for a change; --fail-on raises the bar")
    func check() throws {
        let reference = try file("ref.toml", "[service]\nlisten_port = 50100\n")
        let respelt = try file("same.toml", "# a comment\nservice.listen_port = 50_100\n")
        let changed = try file("cur.toml", "[service]\nlisten_port = 50101\n")
        let noNotes: (String) -> Void = { Issue.record("unexpected note \($0)") }

        let same = try FileComparison(reference: reference, current: respelt).run(
            key: { .perRun }, note: noNotes)
        #expect(same.exitStatus == .nothingToReport)
        #expect(same.parsedFiles.count == 2)

        let different = try FileComparison(reference: reference, current: changed).run(
            key: { .perRun }, note: noNotes)
        #expect(different.exitStatus == .findings)
        // A port is a warning: not at the critical level.
        var critical = FileComparison(reference: reference, current: changed)
        critical.failOn = .critical
        #expect(try critical.run(key: { .perRun }, note: noNotes).exitStatus == .nothingToReport)
        var ignoring = FileComparison(reference: reference, current: changed)
        ignoring.ignoring = [try KeyPathPattern("service.*")]
        #expect(try ignoring.run(key: { .perRun }, note: noNotes).exitStatus == .nothingToReport)
    }

    @Test("validate: 2 for a file that cannot be parsed, with its failure in operator words")
    func validateUnparsable() throws {
        let broken = try file("broken.toml", "[service\n")
        let result = try ConfigValidation(validator: KMSConfigValidator(), files: [broken]).run(note: { _ in }
        )
        #expect(result.exitStatus == .failure)
        #expect(result.failures.count == 1)
        #expect(result.failures.first?.contains("broken.toml") == true)
    }

    @Test("consistency: parties that disagree on the threshold are a finding (1)")
    func consistency() throws {
        let result = try PartyConsistency(files: [
            try file("a.toml", "[threshold]\nthreshold = 1\n"),
            try file("b.toml", "[threshold]\nthreshold = 2\n"),
        ]).run(note: { _ in })
        #expect(!result.report.disagreements.isEmpty)
        #expect(result.exitStatus == .findings)
    }

    @Test("render: an unset variable is an error naming it; nothing is written")
    func renderUnset() throws {
        let template = try file(
            "t.toml", "[service]\nlisten_address = \"${KMS_DRIFT_TEST_UNSET_VARIABLE}\"\n")
        var render = TemplateRender(template: template, sources: EffectiveSources(envFiles: []))
        render.output = root.appendingPathComponent("out.toml").path
        #expect(throws: (any Error).self) { _ = try render.run() }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out.toml").path))
    }
}
