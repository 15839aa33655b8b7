import Foundation
import TestSupport
import Testing

/// `[effective]` end to end: the daemon watches what kms-server runs through a stand-in for its
/// `/config` endpoint (the Python fixture), and tells a change on disk that waits for a restart
/// from a change of what runs.
@Suite("kms-drift daemon with [effective]")
struct EffectiveDaemonTests {
    static let reference = """
        [service]
        listen_address = "0.0.0.0"
        listen_port = 50100
        timeout_secs = 360
        grpc_max_message_size = 104857600

        [threshold]
        listen_address = "0.0.0.0"
        listen_port = 50001
        threshold = 1
        my_id = 1
        dec_capacity = 10000
        min_dec_cache = 6000
        decryption_mode = "NoiseFloodSmall"
        """

    /// What kms-server's `/config` says for `reference`, with its defaults and nulls.
    static func liveDocument(timeout: Int) -> String {
        """
        {"service": {"listen_address": "0.0.0.0", "listen_port": 50100, "timeout_secs": \(timeout),
          "grpc_max_message_size": 104857600},
         "threshold": {"listen_address": "0.0.0.0", "listen_port": 50001, "threshold": 1, "my_id": 1,
          "dec_capacity": 10000, "min_dec_cache": 6000, "decryption_mode": "NoiseFloodSmall",
          "num_sessions_preproc": null, "peers": null},
         "telemetry": null, "mock_enclave": null}
        """
    }

    static let fixture = TestPaths.packageRoot.appendingPathComponent(
        "Tests/EffectiveConfigTests/Fixtures/kms_config_server.py")

    @Test("pending-restart, then drift of what runs, then recovered")
    func pendingRestartThenDriftOfWhatRunsThenRecovered() throws {
        try withTemporaryDirectory { directory in try run(in: directory.url) }
    }

    func run(in root: URL) throws {
        let watched = root.appendingPathComponent("watched")
        let gitops = root.appendingPathComponent("gitops")
        let node = watched.appendingPathComponent("kms-server.toml")
        let live = root.appendingPathComponent("live.json")
        try writeFile(Self.reference, to: node)
        try writeFile(Self.reference, to: gitops.appendingPathComponent("kms-server.toml"))
        try writeFile(Self.liveDocument(timeout: 360), to: live)

        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", Self.fixture.path, live.path]
        let serverInput = Pipe()
        let serverOutput = Pipe()
        server.standardInput = serverInput
        server.standardOutput = serverOutput
        try server.run()
        defer {
            try? serverInput.fileHandleForWriting.close()
            server.waitUntilExit()
        }
        let portLine = String(decoding: serverOutput.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(portLine.trimmingCharacters(in: .whitespacesAndNewlines)))

        let events = root.appendingPathComponent("events.jsonl")
        let metrics = root.appendingPathComponent("kms-drift.prom")
        let configPath = try writeFile(
            """
            [watch]
            directory = "\(watched.path)"
            [store]
            database = "\(root.appendingPathComponent("history.db").path)"
            [schedule]
            interval_seconds = 1
            [reference]
            mode = "directory"
            directory = "\(gitops.path)"
            [log]
            json_file = "\(events.path)"
            [metrics]
            textfile = "\(metrics.path)"
            [effective]
            config_file = "\(node.path)"
            workdir = "\(root.appendingPathComponent("work").path)"
            etc_config_dir = "\(root.appendingPathComponent("etc-config").path)"
            url = "http://127.0.0.1:\(port)/config"
            """, to: root.appendingPathComponent("kms-drift.toml"))

        let daemon = try DaemonProcess(arguments: ["--config", configPath], in: root)
        #expect(daemon.waitForNotification { $0.contains("READY=1") } != nil, "no READY: \(daemon.stderr)")
        #expect(daemon.waitForCycle(atLeast: 2) != nil)

        func eventKinds() -> [String] {
            let text = (try? String(contentsOf: events, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return object?["event"] as? String
            }
        }
        func lastEvent(_ kind: String) -> [String: Any]? {
            let text = (try? String(contentsOf: events, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").reversed().compactMap { line in
                try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            }.first { $0["event"] as? String == kind }
        }
        #expect(eventKinds().isEmpty, "an equal start raises nothing: \(eventKinds()) \(daemon.stderr)")
        let prom = (try? String(contentsOf: metrics, encoding: .utf8)) ?? ""
        #expect(prom.contains("kms_drift_network_fingerprint_info{fingerprint=\"sha256:"))

        // The file changes on disk; the process still runs the old value: drift of the file and a
        // pending restart naming the key.
        try writeFile(
            Self.reference.replacingOccurrences(of: "timeout_secs = 360", with: "timeout_secs = 60"), to: node
        )
        #expect(
            eventually { eventKinds().contains("pending-restart") }, "no pending-restart: \(daemon.stderr)")
        #expect(eventKinds().first == "drift")
        let pending = try #require(lastEvent("pending-restart"))
        #expect(pending["key_paths"] as? [String] == ["@effective/kms-server.toml:service.timeout_secs"])

        // kms-server restarts with it: now what runs differs from the reference, as severe as the
        // one severity table says for the key (service.timeout_secs: a warning).
        try writeFile(Self.liveDocument(timeout: 60), to: live)
        #expect(
            eventually { eventKinds().filter { $0 == "drift" }.count == 2 },
            "no drift of what runs: \(daemon.stderr)")
        let drift = try #require(lastEvent("drift"))
        #expect(drift["max_severity"] as? String == "warning")
        #expect((drift["key_paths"] as? [String])?.contains("@live/config.json:service.timeout_secs") == true)
        #expect(eventKinds().filter { $0 == "pending-restart" }.count == 1)

        // Back to the reference on disk and in the process.
        try writeFile(Self.reference, to: node)
        try writeFile(Self.liveDocument(timeout: 360), to: live)
        #expect(
            eventually { eventKinds().last == "recovered" }, "no recovered: \(eventKinds()) \(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }
}
