import Foundation
import TestSupport
import Testing

/// `[network]` end to end: three parties publish signed statements into one directory and check
/// each other's. Party 1 runs the daemon; parties 2 and 3 run one-shot cycles (`snapshot`).
@Suite("[network] in the daemon and the one-shot", .temporaryDirectory)
struct NetworkDaemonTests {
    static func setUp(_ root: TemporaryDirectory) throws {
        try root.makeDirectory("keys")
        var keyring = "network = \"daemon-net\"\n"
        for party in 1...3 {
            try GeneratedParties.writeDirectory(
                "party\(party)/etc", in: root, party: party, parties: 3, threshold: 1,
                certificate: NetworkCommandTests.certificate)
            #expect(
                try CLI.run(["keygen", "--output", "keys/p\(party).key"], currentDirectory: root.url).status
                    == 0)
            keyring += "[[party]]\nparty_id = \(party)\npublic_key_file = \"keys/p\(party).key.pub\"\n"
            try root.write(
                "party\(party).toml",
                """
                [watch]
                directory = "party\(party)/etc"
                [store]
                database = "party\(party)/history.db"
                [schedule]
                interval_seconds = 1
                watch = false
                [log]
                json_file = "party\(party)/events.jsonl"
                [metrics]
                textfile = "party\(party)/metrics.prom"
                [network]
                kms_config = "kms-server.toml"
                key = "keys/p\(party).key"
                keyring = "keyring.toml"
                publish = "statements/party\(party).json"
                statements = ["statements"]

                """)
        }
        try root.write("keyring.toml", keyring)
        try root.makeDirectory("statements")
    }

    /// The network events a party raised so far: (event, message).
    static func events(_ root: TemporaryDirectory, _ party: Int) -> [(String, String)] {
        guard let text = try? root.readText("party\(party)/events.jsonl") else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let event = object["event"] as? String, let message = object["message"] as? String,
                event.hasPrefix("network-") || message.hasPrefix("the network agrees")
            else { return nil }
            return (event, message)
        }
    }

    static func snapshot(_ root: TemporaryDirectory, _ party: Int) throws -> ProcessResult {
        try CLI.run(["snapshot", "--config", "party\(party).toml"], currentDirectory: root.url)
    }

    /// Waits (bounded) until `condition` holds, polling; true when it did.

    @Test("a change at one party raises one network-disagreement at the others, recovered after the revert")
    func disagreementAndRecovery() throws {
        let root = try TemporaryDirectory.current()
        try Self.setUp(root)
        for party in [2, 3] { #expect(try Self.snapshot(root, party).status == 0) }
        let daemon = try DaemonProcess(arguments: ["--config", root.path("party1.toml")], in: root.url)
        #expect(daemon.waitForCycle(atLeast: 1) != nil, "\(daemon.stderr)")
        for party in [2, 3] { #expect(try Self.snapshot(root, party).status == 0) }
        #expect(daemon.waitForCycle(atLeast: 3) != nil)
        // Everyone has published: no disagreement at party 1, and the metric counts three agreeing parties.
        #expect(!Self.events(root, 1).contains { $0.0 == "network-disagreement" })
        #expect(
            eventually(timeout: 30, every: 0.1) {
                ((try? root.readText("party1/metrics.prom")) ?? "").contains(
                    "kms_drift_network_parties{state=\"agree\"} 3")
            })

        let original = try root.readText("party2/etc/kms-server.toml")
        try root.write(
            "party2/etc/kms-server.toml",
            original.replacingOccurrences(
                of: "address = \"party1.kms-production.example.org\"", with: "address = \"10.1.1.1\""))
        #expect(try Self.snapshot(root, 2).status == 1)  // party 2's own drift from its baseline
        #expect(
            eventually(timeout: 30, every: 0.1) {
                Self.events(root, 1).contains { $0.0 == "network-disagreement" }
            },
            "\(daemon.stderr)")
        let third = try Self.snapshot(root, 3)
        #expect(third.status == 0)
        #expect(
            third.stdout.contains("network: 2 agree, 1 differ, 0 missing, 0 stale, 0 invalid"),
            "\(third.stdout)")
        for party in [1, 3] {
            let raised = Self.events(root, party).filter { $0.0 == "network-disagreement" }
            #expect(raised.count == 1, "party \(party): \(raised)")
            #expect(raised.first?.1 == "party 2 differs on `threshold.peers[party_id=1].address`")
        }
        // Later cycles raise nothing new while the disagreement lasts.
        let cycle = try #require(daemon.waitForCycle(atLeast: 1))
        #expect(daemon.waitForCycle(atLeast: cycle + 2) != nil)
        #expect(try Self.snapshot(root, 3).status == 0)
        for party in [1, 3] {
            #expect(Self.events(root, party).filter { $0.0 == "network-disagreement" }.count == 1)
        }
        #expect(
            ((try? root.readText("party1/metrics.prom")) ?? "").contains(
                "kms_drift_network_parties{state=\"differ\"} 1"))

        try root.write("party2/etc/kms-server.toml", original)
        #expect(try Self.snapshot(root, 2).status == 0)
        #expect(try root.readText("statements/party2.json").contains("\"sequence\": 3"))
        #expect(
            eventually(timeout: 30, every: 0.1) { Self.events(root, 1).contains { $0.0 == "recovered" } },
            "\(daemon.stderr)")
        #expect(try Self.snapshot(root, 3).status == 0)
        #expect(Self.events(root, 3).last?.0 == "recovered")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }
}
