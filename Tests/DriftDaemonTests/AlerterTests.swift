import DriftConfig
import DriftCore
import Foundation
import InMemoryLogging
import Logging
import TestSupport
import Testing

@testable import DriftDaemon
@testable import DriftOperations

/// Raising events: the log line's level and fields, the JSON payload and its redaction, the
/// event log file, hooks subscribed by kind, and failures that are counted but never thrown.
@Suite("Alerter", .temporaryDirectory)
struct AlerterTests {
    /// A drift with a critical peer change and a changed password.
    static func driftReport(in directory: TemporaryDirectory) throws -> DriftReport {
        let reference = directory.path("ref.toml")
        let current = directory.path("cur.toml")
        try """
        [vault]
        password = "hunter2"
        url = "postgres://kms:s3cret@db.internal/kms"
        [[threshold.peers]]
        party_id = 3
        address = "p3.example.org"
        """.write(toFile: reference, atomically: true, encoding: .utf8)
        try """
        [vault]
        password = "hunter3"
        url = "postgres://kms:s3cret2@db.internal/kms"
        [[threshold.peers]]
        party_id = 3
        address = "p3 evil.example.org"
        """.write(toFile: current, atomically: true, encoding: .utf8)
        return try TreeComparison().compareFiles(reference: reference, current: current)
    }

    func logger(_ handler: InMemoryLogHandler) -> Logger { Logger(label: "test") { _ in handler } }

    @Test("a critical drift is logged at critical with counts and key paths, and its hook gets the JSON")
    func drift() throws {
        let directory = try TemporaryDirectory.current()
        let report = try Self.driftReport(in: directory)
        let hook = try directory.script(
            "hook", "cat > \"$OUT/payload.$KMS_DRIFT_EVENT\"; env | grep ^KMS_DRIFT_ | sort > \"$OUT/env\"")
        var configuration = DriftConfiguration(watchedDirectory: directory.path)
        configuration.eventLogPath = directory.path("events.jsonl")
        configuration.hooks = [
            .init(name: "record", events: [.drift], command: [hook], environment: ["OUT": directory.path]),
            .init(name: "recovery-only", events: [.recovered], command: ["/bin/false"]),
        ]
        let handler = InMemoryLogHandler()
        let outcome = Alerter(configuration: configuration, logger: logger(handler))
            .raise([DriftEvent(kind: .drift, snapshot: nil, report: report, message: nil)])
        #expect(outcome == Alerter.Outcome(hookRuns: 1, hookFailures: 0))

        let event = try #require(handler.entries.first)
        #expect(event.level == .critical)
        #expect(event.metadata["event"] == "drift")
        #expect(event.metadata["critical"] == "1")
        #expect(event.metadata["keys"] == "threshold.peers[party_id=3].address")
        #expect(handler.entries.last?.metadata["hook"] == "record")
        #expect(handler.entries.last?.metadata["status"] == "0")

        let payload = try directory.readText("payload.drift")
        let logged = try directory.readText("events.jsonl")
        #expect(logged == payload)
        #expect(logged.split(separator: "\n").count == 1)
        for secret in ["hunter2", "hunter3", "s3cret"] {
            #expect(!payload.contains(secret), "\(secret) leaked")
            #expect(!"\(event.metadata)".contains(secret))
        }
        let json = try #require(JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        #expect(json["schema"] as? String == "kms-drift.event/1")
        #expect(json["event"] as? String == "drift")
        #expect(json["max_severity"] as? String == "critical")
        #expect((json["time"] as? String)?.hasSuffix("Z") == true)
        #expect((json["summary"] as? [String: Any])?["critical"] as? Int == 1)
        #expect(json["key_paths"] as? [String] == ["threshold.peers[party_id=3].address"])
        #expect((json["report"] as? [String: Any])?["schema"] as? String == "kms-drift.report/1")
        #expect(payload.contains("p3 evil.example.org"))
        #expect((try? directory.readText("env"))?.contains("KMS_DRIFT_SEVERITY=critical") == true)
        #expect((try? directory.readText("env"))?.contains("KMS_DRIFT_CHANGES=3") == true)
    }

    @Test("a failing or missing hook is logged as a warning and counted; the next hook still runs")
    func failingHooks() throws {
        let directory = try TemporaryDirectory.current()
        var configuration = DriftConfiguration(watchedDirectory: directory.path)
        configuration.hooks = [
            .init(name: "fails", events: [.error], command: ["/bin/sh", "-c", "exit 1"]),
            .init(name: "missing", events: [.error], command: ["/nonexistent/hook"]),
            .init(name: "works", events: [.error], command: ["/bin/true"]),
        ]
        let handler = InMemoryLogHandler()
        let outcome = Alerter(configuration: configuration, logger: logger(handler))
            .raise([
                DriftEvent(
                    kind: .error, snapshot: nil, report: nil,
                    message: "cannot read /etc/kms: Permission denied")
            ])
        #expect(outcome == Alerter.Outcome(hookRuns: 3, hookFailures: 2))
        #expect(handler.entries.first?.level == .error)
        #expect(handler.entries.first?.metadata["error"] == "cannot read /etc/kms: Permission denied")
        let failures = handler.entries.filter { $0.message == "hook failed" }
        #expect(failures.map(\.level) == [.warning, .warning])
        #expect(failures.first?.metadata["status"] == "1")
        #expect(failures.last?.metadata["status"] == "not started")
        #expect(handler.entries.last?.metadata["hook"] == "works")
    }

    @Test("errors are raised once per distinct message and again after a successful cycle")
    func errorFilter() {
        var filter = ErrorAlertFilter()
        let error = DriftEvent(kind: .error, snapshot: nil, report: nil, message: "disk full")
        #expect(filter.filter([error]).count == 1)
        #expect(filter.filter([error]).isEmpty)
        #expect(
            filter.filter([DriftEvent(kind: .error, snapshot: nil, report: nil, message: "locked")]).count
                == 1)
        filter.reset()
        #expect(filter.filter([error]).count == 1)
        #expect(
            filter.filter([DriftEvent(kind: .recovered, snapshot: nil, report: nil, message: nil)]).count == 1
        )
    }
}
