import DriftConfig
import DriftCore
import Foundation
import SnapshotStore
import TestSupport
import Testing

@testable import DriftDaemon
@testable import DriftOperations

/// One cycle, as both the daemon and the one-shot run it: events are raised once per new state.
@Suite("The drift cycle", .temporaryDirectory)
struct DriftCycleTests {
    let root: URL
    var watched: URL { root.appendingPathComponent("watched") }
    var node: URL { watched.appendingPathComponent("kms-server.toml") }

    init() throws {
        root = try TemporaryDirectory.current().url
        try FileManager.default.createDirectory(at: watched, withIntermediateDirectories: true)
        try writeFile("[service]\nlisten_port = 50100\n", to: node)
    }

    func configuration() -> DriftConfiguration {
        DriftConfiguration(
            watchedDirectory: watched.path, databasePath: root.appendingPathComponent("h.db").path)
    }

    @Test("baseline, drift raised once, recovered once")
    func driftOnce() throws {
        let configuration = configuration()
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration)

        let first = try cycle.run(on: store)
        #expect(first.baselineCreated)
        #expect(first.events.isEmpty)
        #expect(first.exitStatus == .nothingToReport)

        try writeFile("[service]\nlisten_port = 50101\n", to: node)
        let drifted = try cycle.run(on: store)
        #expect(drifted.events.map(\.kind) == [.drift])
        #expect(drifted.exitStatus == .findings)
        #expect(try cycle.run(on: store).events.isEmpty, "the same drift is not raised again")

        // A new way of drifting is raised again.
        try writeFile("[service]\nlisten_port = 50102\n", to: node)
        #expect(try cycle.run(on: store).events.map(\.kind) == [.drift])

        try writeFile("[service]\nlisten_port = 50_100\n", to: node)
        let back = try cycle.run(on: store)
        let backReport =
            back.report.map {
                TextReportRenderer(formatter: ValueFormatter(secrets: SecretPolicy()), useColor: false)
                    .render($0)
            } ?? "no report: \(back.problems)"
        #expect(back.events.map(\.kind) == [.recovered], "\(backReport)")
        #expect(back.exitStatus == .nothingToReport)
        #expect(try cycle.run(on: store).events.isEmpty)
    }

    @Test("the de-duplication survives a new process: a second store on the same database")
    func oneShotMemory() throws {
        let configuration = configuration()
        _ = try DriftCycle(configuration: configuration).run(
            on: SnapshotStore(path: configuration.databasePath))
        try writeFile("[service]\nlisten_port = 1\n", to: node)
        let first = try DriftCycle(configuration: configuration).run(
            on: SnapshotStore(path: configuration.databasePath))
        let second = try DriftCycle(configuration: configuration).run(
            on: SnapshotStore(path: configuration.databasePath))
        #expect(first.events.map(\.kind) == [.drift])
        #expect(second.events.isEmpty)
        #expect(second.exitStatus == .findings)
    }

    @Test("remind_every re-raises an unchanged drift once it is due")
    func reminder() throws {
        var configuration = configuration()
        configuration.remindEvery = .seconds(1)
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration)
        _ = try cycle.run(on: store)
        try writeFile("[service]\nlisten_port = 1\n", to: node)
        #expect(try cycle.run(on: store).events.map(\.kind) == [.drift])
        #expect(try cycle.run(on: store).events.isEmpty)
        // Two seconds later, by the cycle's clock, the reminder is due.
        let later = DriftCycle(configuration: configuration, now: { wallClockSeconds() + 2 })
        #expect(try later.run(on: store).events.map(\.kind) == [.drift])
    }

    @Test("a reference directory (GitOps) instead of a baseline")
    func referenceDirectory() throws {
        let reference = root.appendingPathComponent("gitops")
        try FileManager.default.createDirectory(at: reference, withIntermediateDirectories: true)
        try "service.listen_port = 50100\n".write(
            to: reference.appendingPathComponent("kms-server.toml"), atomically: true, encoding: .utf8)
        var configuration = configuration()
        configuration.reference = .directory(reference.path)
        let store = try SnapshotStore(path: configuration.databasePath)
        let first = try DriftCycle(configuration: configuration).run(on: store)
        #expect(!first.baselineCreated)
        #expect(first.report?.isClean == true)
        try writeFile("[service]\nlisten_port = 9\n", to: node)
        let drifted = try DriftCycle(configuration: configuration).run(on: store)
        #expect(drifted.report?.files.first?.differences.first?.path.description == "service.listen_port")
    }

    @Test("invalid TOML in a watched file: the snapshot is kept, an error event is raised, exit 2")
    func invalidTOML() throws {
        let configuration = configuration()
        let store = try SnapshotStore(path: configuration.databasePath)
        _ = try DriftCycle(configuration: configuration).run(on: store)
        try writeFile("[service]\nlisten_port = \n", to: node)
        let broken = try DriftCycle(configuration: configuration).run(on: store)
        #expect(broken.events.map(\.kind) == [.error])
        #expect(broken.events.first?.message?.contains("kms-server.toml:2:") == true)
        #expect(broken.exitStatus == .failure)
        #expect(try store.listSnapshots().count == 2)
    }

    @Test("validation errors in the watched kms-server config raise one violation")
    func violation() throws {
        var configuration = configuration()
        configuration.validatedConfig = "kms-server.toml"
        configuration.environment = .production
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration)
        let first = try cycle.run(on: store)
        #expect(first.events.map(\.kind) == [.violation])
        #expect(
            first.events.first?.findings.contains { $0.path.description == "service.timeout_secs" } == true)
        #expect(first.exitStatus == .findings)
        #expect(try cycle.run(on: store).events.isEmpty, "the same violations are not raised again")

        // Hooks receive the findings in the shape `validate --format json` documents.
        let payload = EventPayload(
            event: try #require(first.events.first), time: "2026-11-25T00:00:00Z", host: "node1")
        let object = try JSONSerialization.jsonObject(with: Data(payload.json().utf8)) as? [String: Any]
        let findings = try #require(object?["findings"] as? [[String: Any]])
        let timeout = try #require(findings.first { $0["path"] as? String == "service.timeout_secs" })
        #expect(timeout["severity"] as? String == "error")
        #expect(timeout["line"] as? Int == 1)
        #expect((timeout["file"] as? String)?.hasSuffix("kms-server.toml") == true)
        #expect(object?["event"] as? String == "violation")
    }
}
