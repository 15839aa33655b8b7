import Foundation
import TestSupport
import Testing

/// `kms-drift daemon` end to end: the built binary, real files, a real notify socket, signals.
@Suite("kms-drift daemon", .temporaryDirectory)
struct DaemonCommandTests {
    static let weirdName = "peer \"list\" $(touch pwned).toml"

    @Test(
        "READY, one drift hook with redacted JSON, recovered, a bad SIGHUP kept out, SIGTERM mid-cycle exits 0"
    )
    func lifecycle() throws {
        let root = try TemporaryDirectory.current().url
        let watched = root.appendingPathComponent("watched")
        let hooks = root.appendingPathComponent("hooks")
        try FileManager.default.createDirectory(at: hooks, withIntermediateDirectories: true)
        try writePartyDirectory(watched, parties: 1)
        let party = watched.appendingPathComponent("party1.toml")
        let original = try String(contentsOf: party, encoding: .utf8)
        let vault = "[vault]\npassword = \"hunter2\"\nurl = \"postgres://kms:s3cret@db.internal/kms\"\n"
        try writeFile(vault, to: watched.appendingPathComponent("vault.toml"))
        try writeFile("[peer]\nname = \"a b\"\n", to: watched.appendingPathComponent(Self.weirdName))

        let record = try writeFile(
            "#!/bin/sh\ncat > \"$OUT/$KMS_DRIFT_EVENT.$(date +%s%N).json\"\n",
            to: root.appendingPathComponent("record.sh"))
        let slow = try writeFile(
            "#!/bin/sh\ntouch \"$OUT/started\"\nsleep 1\ntouch \"$OUT/finished\"\n",
            to: root.appendingPathComponent("slow.sh"))
        for script in [record, slow] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        }
        let database = root.appendingPathComponent("history.db").path
        func configuration(hook: String) -> String {
            """
            [watch]
            directory = "\(watched.path)"
            [store]
            database = "\(database)"
            [schedule]
            interval_seconds = 1
            [metrics]
            textfile = "\(root.appendingPathComponent("kms-drift.prom").path)"
            [[hooks]]
            name = "record"
            on = ["drift", "recovered"]
            command = ["\(hook)"]
            timeout_seconds = 10
            environment = { OUT = "\(hooks.path)" }
            """
        }
        let configPath = try writeFile(
            configuration(hook: record), to: root.appendingPathComponent("kms-drift.toml"))

        let daemon = try DaemonProcess(arguments: ["--config", configPath], in: root)
        #expect(daemon.waitForNotification { $0.contains("READY=1") } != nil, "no READY: \(daemon.stderr)")

        // A second process can use the database between cycles.
        let list = try CLI.run(["list", "--db", database])
        #expect(list.status == 0, "\(list.stderr)")

        func hookFiles(_ event: String) -> [URL] {
            ((try? FileManager.default.contentsOfDirectory(at: hooks, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.lastPathComponent.hasPrefix(event + ".") }
        }

        // Drift: a peer moves, the password changes, the oddly named file changes.
        try writeFile(
            original.replacingOccurrences(
                of: "address = \"party3.kms-production.example.org\"",
                with: "address = \"party3-moved.kms-production.example.org\""), to: party)
        try writeFile(
            vault.replacingOccurrences(of: "hunter2", with: "hunter3"),
            to: watched.appendingPathComponent("vault.toml"))
        try writeFile("[peer]\nname = \"a c\"\n", to: watched.appendingPathComponent(Self.weirdName))
        #expect(eventually { hookFiles("drift").count == 1 }, "no drift hook: \(daemon.stderr)")
        let after = daemon.waitForCycle(atLeast: 1).map { $0 + 2 } ?? 0
        #expect(daemon.waitForCycle(atLeast: after) != nil)
        #expect(hookFiles("drift").count == 1, "the same drift was raised again")

        let payload = try String(contentsOf: try #require(hookFiles("drift").first), encoding: .utf8)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        #expect(json["schema"] as? String == "kms-drift.event/1")
        #expect(json["event"] as? String == "drift")
        #expect(json["max_severity"] as? String == "critical")
        #expect(
            (json["key_paths"] as? [String])?.contains("party1.toml:threshold.peers[party_id=3].address")
                == true,
            "\(json["key_paths"] ?? "")")
        #expect(payload.contains("party3-moved.kms-production.example.org"))
        #expect(payload.contains(JSONSerialization.escapedForTest(Self.weirdName)))
        for secret in ["hunter2", "hunter3", "s3cret"] {
            #expect(!payload.contains(secret), "\(secret) leaked into the hook's JSON")
            #expect(!daemon.stderr.contains(secret), "\(secret) leaked into the log")
        }
        #expect(!FileManager.default.fileExists(atPath: watched.appendingPathComponent("pwned").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("pwned").path))
        #expect(daemon.stderr.contains("event=drift"))
        #expect(daemon.stderr.contains("critical=1"))

        // Recovered.
        try writeFile(original, to: party)
        try writeFile(vault, to: watched.appendingPathComponent("vault.toml"))
        try writeFile("[peer]\nname = \"a b\"\n", to: watched.appendingPathComponent(Self.weirdName))
        #expect(eventually { hookFiles("recovered").count == 1 }, "no recovered hook: \(daemon.stderr)")

        // SIGHUP with a broken file: logged with file:line:column, the daemon keeps cycling.
        try writeFile(
            "[watch]\ndirectory = \"\(watched.path)\"\n[schedule]\ninterval_seconds = \"often\"\n",
            to: URL(fileURLWithPath: configPath))
        daemon.signal(SIGHUP)
        #expect(eventually { daemon.stderr.contains("configuration not reloaded") }, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("\(configPath):4:"))
        // A failed reload is an `error` event and a metric, not a bare log line.
        #expect(
            daemon.stderr.split(separator: "\n").contains {
                $0.contains("event=error") && $0.contains("configuration not reloaded")
            }, "\(daemon.stderr)")
        #expect(
            eventually {
                ((try? String(contentsOf: root.appendingPathComponent("kms-drift.prom"), encoding: .utf8))
                    ?? "")
                    .contains("kms_drift_reload_failures_total 1")
            })
        let cycle = daemon.waitForCycle(atLeast: 1) ?? 0
        #expect(
            daemon.waitForCycle(atLeast: cycle + 1) != nil, "the daemon stopped cycling after a bad SIGHUP")

        // A valid reload with a slow hook, a drift, and SIGTERM while the hook runs.
        try writeFile(configuration(hook: slow), to: URL(fileURLWithPath: configPath))
        daemon.signal(SIGHUP)
        #expect(eventually { daemon.stderr.contains("configuration reloaded") })
        #expect(eventually { daemon.stderr.contains("recovered=reload") }, "\(daemon.stderr)")
        try writeFile(
            vault.replacingOccurrences(of: "hunter2", with: "hunter4"),
            to: watched.appendingPathComponent("vault.toml"))
        #expect(
            eventually {
                FileManager.default.fileExists(atPath: hooks.appendingPathComponent("started").path)
            })
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0, "\(daemon.stderr)")
        #expect(
            FileManager.default.fileExists(atPath: hooks.appendingPathComponent("finished").path),
            "the cycle was cut short")
        #expect(
            daemon.waitForNotification(timeout: 1) { $0.contains("STOPPING=1") } != nil
                || daemon.messages.contains { $0.contains("STOPPING=1") })
        #expect(daemon.stderr.contains("signal=SIGTERM"))

        let verify = try CLI.run(["verify", "--db", database])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let metrics = try String(contentsOf: root.appendingPathComponent("kms-drift.prom"), encoding: .utf8)
        #expect(metrics.contains("kms_drift_hook_failures_total 0"))

        // Every cycle logged its chain head and the metrics export the last: both witness the
        // history outside the database, and verify --witness proves the database holds them.
        let head = try #require(verify.stdout.split(separator: "\n").first { $0.contains("chain of") })
            .split(separator: " ").suffix(2)
        #expect(
            metrics.contains(
                "kms_drift_chain_head_info{snapshot=\"\(head.first!.dropFirst())\",chain=\"\(head.last!)\"} 1"
            ))
        #expect(daemon.stderr.contains("snapshot=\(head.first!.dropFirst()) files="))
        let journal = root.appendingPathComponent("journal.txt")
        try writeFile(daemon.stderr, to: journal)
        let witnessed = try CLI.run(["verify", "--db", database, "--witness", journal.path])
        #expect(witnessed.status == 0, "\(witnessed.stderr)")
        #expect(witnessed.stdout.contains("is snapshot \(head.first!)'s link"))
    }

    @Test("1,000 cycles on the 13-party directory: resident memory does not grow")
    func memoryIsStable() throws {
        let root = try TemporaryDirectory.current().url
        let watched = root.appendingPathComponent("watched")
        try writePartyDirectory(watched)
        let daemon = try DaemonProcess(
            arguments: [
                "--dir", watched.path, "--db", root.appendingPathComponent("history.db").path,
                "--interval-ms", "1",
            ],
            in: root)
        #expect(daemon.waitForCycle(atLeast: 100, timeout: 20) != nil, "\(daemon.stderr)")
        let early = try #require(daemon.residentKiB)
        #expect(daemon.waitForCycle(atLeast: 1000, timeout: 30) != nil, "\(daemon.stderr)")
        let late = try #require(daemon.residentKiB)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        print("daemon RSS after cycle 100: \(early) KiB, after cycle 1000: \(late) KiB")
        #expect(late - early < 2048, "RSS grew from \(early) KiB to \(late) KiB over 900 cycles")
    }
}

extension JSONSerialization {
    /// How the JSON writer spells `text` inside a string literal (only `"` and `\` need escapes here).
    static func escapedForTest(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
