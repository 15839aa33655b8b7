import Foundation
import TestSupport
import Testing

/// The one-shot `kms-drift snapshot` raises the daemon's events through the same hooks.
@Suite("kms-drift snapshot alerts", .temporaryDirectory)
struct SnapshotAlertTests {
    @Test("drift runs the drift hook once and exits 1; a database error runs the error hook and exits 2")
    func hooks() throws {
        let root = try TemporaryDirectory.current().url
        let watched = root.appendingPathComponent("watched")
        let events = root.appendingPathComponent("events")
        try FileManager.default.createDirectory(at: events, withIntermediateDirectories: true)
        try writeFile(
            "[service]\nlisten_port = 50100\n", to: watched.appendingPathComponent("kms-server.toml"))
        let hook = try writeFile(
            "#!/bin/sh\ncat > \"$OUT/$KMS_DRIFT_EVENT.$(date +%s%N)\"\n",
            to: root.appendingPathComponent("hook.sh"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
        let config = try writeFile(
            """
            [watch]
            directory = "\(watched.path)"
            [log]
            json_file = "\(root.appendingPathComponent("events.jsonl").path)"
            [[hooks]]
            command = ["\(hook)"]
            environment = { OUT = "\(events.path)" }
            """, to: root.appendingPathComponent("kms-drift.toml"))
        let database = root.appendingPathComponent("history.db").path
        func names() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: events.path)) ?? []).map {
                String($0.prefix { $0 != "." })
            }.sorted()
        }

        #expect(try CLI.run(["snapshot", "--config", config, "--db", database]).status == 0)
        #expect(names().isEmpty)
        try writeFile(
            "[service]\nlisten_port = 50101\n", to: watched.appendingPathComponent("kms-server.toml"))
        let drifted = try CLI.run(["snapshot", "--config", config, "--db", database])
        #expect(drifted.status == 1)
        #expect(drifted.stderr.contains("event=drift"))
        #expect(try CLI.run(["snapshot", "--config", config, "--db", database]).status == 1)
        #expect(names() == ["drift"])

        let failed = try CLI.run([
            "snapshot", "--config", config, "--db", root.appendingPathComponent("missing/dir/h.db").path,
        ])
        #expect(failed.status == 2)
        #expect(failed.stderr.contains("event=error"))
        #expect(names() == ["drift", "error"])
        let lines = try String(contentsOf: root.appendingPathComponent("events.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("{\"schema\":\"kms-drift.event/1\"") })
    }
}
