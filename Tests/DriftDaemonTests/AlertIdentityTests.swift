import DriftConfig
import DriftCore
import Foundation
import Logging
import SnapshotStore
import TestSupport
import Testing

@testable import DriftDaemon
@testable import DriftOperations

/// Alerts that mean what they say (issue 18): one event per problem per cycle whatever reports it,
/// `recovered` naming what recovered and only once it is gone, violations naming the rule, and
/// de-duplication by a problem's identity rather than its wording.
@Suite("alerts: one per problem, recovered names what", .temporaryDirectory)
struct AlertIdentityTests {
    let root: URL
    var watched: URL { root.appendingPathComponent("watched") }
    var node: URL { watched.appendingPathComponent("kms-server.toml") }

    init() throws {
        root = try TemporaryDirectory.current().url
        try FileManager.default.createDirectory(at: watched, withIntermediateDirectories: true)
    }

    static var party1: String {
        get throws {
            try String(
                contentsOf: TestPaths.shared.appendingPathComponent(
                    "corpus/kms/core__service__config__default_1.toml"),
                encoding: .utf8)
        }
    }

    func configuration(validating: Bool = false) -> DriftConfiguration {
        var configuration = DriftConfiguration(
            watchedDirectory: watched.path, databasePath: root.appendingPathComponent("h.db").path)
        if validating { configuration.validatedConfig = "kms-server.toml" }
        return configuration
    }

    @Test(
        "a broken [validate] kms_config is one error event, not one from the comparison and one from validation"
    )
    func brokenValidatedConfigOnce() throws {
        try writeFile(try Self.party1, to: node)
        let configuration = configuration(validating: true)
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration)
        #expect(try cycle.run(on: store).events.isEmpty)
        try writeFile(try Self.party1 + "\n[broken\n", to: node)
        let broken = try cycle.run(on: store)
        #expect(broken.events.map(\.kind) == [.error], "\(broken.events.map(\.message))")
        #expect(broken.problems.count == 1, "\(broken.problems)")
        #expect(try cycle.run(on: store).events.isEmpty, "raised once")
    }

    @Test("recovered names the parse error that cleared, while the drift stays; then the drift")
    func recoveredNamesWhat() throws {
        try writeFile("[service]\nlisten_port = 50100\n", to: node)
        let other = watched.appendingPathComponent("other.toml")
        try writeFile("a = 1\n", to: other)
        let configuration = configuration()
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration)
        _ = try cycle.run(on: store)
        try writeFile("[service]\nlisten_port = 50101\n", to: node)
        #expect(try cycle.run(on: store).events.map(\.kind) == [.drift])
        try writeFile("a = \n", to: other)
        let broken = try cycle.run(on: store)
        #expect(broken.events.map(\.kind) == [.error])

        try writeFile("a = 1\n", to: other)
        let fixed = try cycle.run(on: store)
        #expect(fixed.report?.isClean == false, "the drift is still there")
        let recovered = try #require(fixed.events.first { $0.kind == .recovered })
        #expect(fixed.events.count == 1, "\(fixed.events.map(\.kind))")
        #expect(recovered.recovered?.name == "comparison")
        #expect("\(EventLogLine.message(of: recovered))" == "a watched file parses again")
        #expect(
            EventLogLine.metadata(of: recovered)["resolved"].map { "\($0)" }?.contains("other.toml:1:")
                == true)
        #expect(recovered.report == nil, "a recovered problem carries no drift counts")

        try writeFile("[service]\nlisten_port = 50100\n", to: node)
        let back = try cycle.run(on: store)
        #expect(back.events.map(\.kind) == [.recovered])
        #expect(back.events.first?.recovered == .drift)
        #expect("\(EventLogLine.message(of: back.events[0]))" == "the configuration is back to the reference")
    }

    @Test(
        "a violation that is fixed raises recovered naming the violation; its log line names rule and finding"
    )
    func violationRecovered() throws {
        try writeFile(try Self.party1, to: node)
        let configuration = configuration(validating: true)
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration)
        #expect(try cycle.run(on: store).events.isEmpty)
        try writeFile(try Self.party1.replacingOccurrences(of: "my_id = 1", with: "my_id = 0"), to: node)
        let violated = try cycle.run(on: store)
        let violation = try #require(violated.events.first { $0.kind == .violation })
        let fields = EventLogLine.metadata(of: violation)
        #expect(fields["rule"].map { "\($0)" } == "threshold.my_id", "\(fields)")
        #expect(fields["violation"].map { "\($0)" }?.isEmpty == false)
        try writeFile(try Self.party1, to: node)
        let fixed = try cycle.run(on: store)
        let kinds = fixed.events.map { $0.recovered?.name ?? $0.kind.rawValue }
        #expect(kinds.contains("violation"), "\(kinds)")
        let recovered = try #require(fixed.events.first { $0.recovered == .violation })
        #expect(
            "\(EventLogLine.message(of: recovered))" == "the kms-server configuration meets the policy again")
    }

    @Test("a problem reworded keeps its identity; another position is another problem")
    func identityNotText() throws {
        let first = ProblemIdentity.of(
            DriftCoreError.invalidTOML(message: "/etc/kms/a.toml:3:4: expected \"]\""))
        let reworded = ProblemIdentity.of(
            DriftCoreError.invalidTOML(message: "/etc/kms/a.toml:3:4: a closing bracket is missing"))
        let elsewhere = ProblemIdentity.of(
            DriftCoreError.invalidTOML(message: "/etc/kms/a.toml:3:5: expected \"]\""))
        #expect(first == reworded)
        #expect(first != elsewhere)
        let unreadable = ProblemIdentity.of(
            DriftCoreError.unreadable(path: "/etc/kms/k.pem", reason: "Permission denied"))
        #expect(
            unreadable
                == ProblemIdentity.of(DriftCoreError.unreadable(path: "/etc/kms/k.pem", reason: "EACCES")))
        #expect(
            unreadable
                != ProblemIdentity.of(DriftCoreError.unreadable(path: "/etc/kms/j.pem", reason: "EACCES")))

        // Through the store: an upgrade that rewords a message does not raise it again.
        try writeFile("a = 1\n", to: node)
        let configuration = configuration()
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration)
        _ = try cycle.run(on: store)
        let problem = CycleProblem(kind: .backup, identity: "backup", message: "cannot write /backup: EACCES")
        let raised = try cycle.decideErrorEvents(
            for: [problem], snapshot: SnapshotID(1), report: nil, store: store)
        #expect(raised.map(\.kind) == [.error])
        let reworded2 = CycleProblem(
            kind: .backup, identity: "backup", message: "the backup directory refused a write")
        #expect(
            try cycle.decideErrorEvents(for: [reworded2], snapshot: SnapshotID(1), report: nil, store: store)
                .isEmpty)
        let gone = try cycle.decideErrorEvents(for: [], snapshot: SnapshotID(1), report: nil, store: store)
        #expect(gone.map(\.kind) == [.recovered])
        #expect(gone.first?.recovered?.name == "backup")
        #expect("\(EventLogLine.message(of: gone[0]))" == "the backup works again")
    }

    @Test("the error filter of a cycle that could not open its store keys on identity")
    func filterOnIdentity() {
        var filter = ErrorAlertFilter()
        let first = CycleRun(outcome: nil, failure: "locked (waited 5 s)", failureIdentity: "busy|db")
        let reworded = CycleRun(outcome: nil, failure: "the database is locked", failureIdentity: "busy|db")
        #expect(filter.filter(first.events).count == 1)
        #expect(filter.filter(reworded.events).isEmpty)
    }

    @Test("metrics: violations and reload failures are exported")
    func metrics() {
        var metrics = CycleMetrics()
        metrics.violations = 3
        metrics.reloadFailuresTotal = 2
        let text = metrics.render()
        #expect(text.contains("\nkms_drift_violations 3\n"))
        #expect(text.contains("\nkms_drift_reload_failures_total 2\n"))
    }
}
