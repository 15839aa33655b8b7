import Foundation
import TestSupport
import Testing

/// `kms-drift statement` and `kms-drift network check` as an operator types them: bare file
/// names from the party's own directory, `keygen`'s keys, a keyring beside the statements.
@Suite("kms-drift statement and network check", .temporaryDirectory)
struct NetworkCommandTests {
    /// Four parties (threshold 1) with generated configs and certificates, keys from `keygen`,
    /// and a keyring pinning them.
    static func makeNetwork(_ root: TemporaryDirectory) throws {
        try root.makeDirectory("keys")
        var keyring = "network = \"cli-net\"\nsalt = \"\(String(repeating: "ab", count: 32))\"\n"
        for party in 1...4 {
            try GeneratedParties.writeDirectory(
                "party\(party)", in: root, party: party, parties: 4, threshold: 1, certificate: certificate)
            let keygen = try CLI.run(
                ["keygen", "--output", "keys/p\(party).key"], currentDirectory: root.url)
            #expect(keygen.status == 0, "\(keygen.stderr)")
            keyring += "[[party]]\nparty_id = \(party)\npublic_key_file = \"keys/p\(party).key.pub\"\n"
        }
        try root.write("keyring.toml", keyring)
        try root.makeDirectory("statements")
    }

    static func certificate(_ seed: Int) -> String {
        "-----BEGIN CERTIFICATE-----\n" + Data(randomBytes(300, seed: UInt64(seed))).base64EncodedString()
            + "\n-----END CERTIFICATE-----\n"
    }

    /// `kms-drift statement` run in the party's directory, as its operator would.
    static func publish(_ root: TemporaryDirectory, _ party: Int, _ extra: [String] = []) throws
        -> ProcessResult
    {
        try CLI.run(
            [
                "statement", "kms-server.toml", "--key", "../keys/p\(party).key", "--keyring",
                "../keyring.toml",
                "--sequence-file", "statement.seq", "--output", "../statements/party\(party).json",
            ] + extra, currentDirectory: root.url("party\(party)"))
    }

    static func check(_ root: TemporaryDirectory, _ extra: [String] = []) throws -> ProcessResult {
        try CLI.run(
            ["network", "check", "statements", "--keyring", "keyring.toml"] + extra,
            currentDirectory: root.url)
    }

    @Test("agree → 0; a changed threshold → 1 naming party and component; --self; JSON")
    func agreementAndDisagreement() throws {
        let root = try TemporaryDirectory.current()
        try Self.makeNetwork(root)
        for party in 1...4 {
            let made = try Self.publish(root, party, party == 3 ? ["--with-values"] : [])
            #expect(made.status == 0, "\(made.stderr)")
        }
        let statement = try root.readText("statements/party1.json")
        #expect(statement.contains("\"format\": \"kms-drift.statement/1\""))
        #expect(statement.contains("\"sequence\": 1"))
        #expect(!statement.contains("PRIV-p1"))
        let agreed = try Self.check(root)
        #expect(agreed.status == 0, "\(agreed.stdout)\(agreed.stderr)")
        #expect(agreed.stdout.contains("4 agree, 0 differ, 0 missing, 0 stale, 0 invalid"))

        let config = try root.readText("party3/kms-server.toml")
        try root.write(
            "party3/kms-server.toml", config.replacingOccurrences(of: "threshold = 1", with: "threshold = 2"))
        #expect(try Self.publish(root, 3, ["--with-values"]).status == 0)
        #expect(try root.readText("statements/party3.json").contains("\"sequence\": 2"))
        let differs = try Self.check(root)
        #expect(differs.status == 1)
        #expect(differs.stdout.contains("party 3 differs on `threshold.threshold`"), "\(differs.stdout)")
        let fromThree = try Self.check(root, ["--self", "3"])
        #expect(fromThree.status == 1)
        for party in [1, 2, 4] {
            #expect(fromThree.stdout.contains("party \(party) differs on `threshold.threshold`"))
        }
        let json = try Self.check(root, ["--format", "json"])
        #expect(json.status == 1)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["schema"] as? String == "kms-drift.network-check/1")
        #expect((document["summary"] as? [String: Int])?["differ"] == 1)
    }

    @Test("a replayed statement (state file), a stale one and a missing party are named, exit 1")
    func replayStaleMissing() throws {
        let root = try TemporaryDirectory.current()
        try Self.makeNetwork(root)
        for party in 1...4 { #expect(try Self.publish(root, party).status == 0) }
        #expect(try Self.check(root, ["--state", "seen.state"]).status == 0)
        let old = try root.read("statements/party2.json")
        #expect(try Self.publish(root, 2).status == 0)
        #expect(try Self.check(root, ["--state", "seen.state"]).status == 0)
        try root.write("statements/party2.json", old)
        #expect(try Self.publish(root, 4, ["--time", "2020-01-01T00:00:00Z"]).status == 0)
        try FileManager.default.removeItem(atPath: root.path("statements/party1.json"))
        let result = try Self.check(root, ["--state", "seen.state", "--max-age", "2d"])
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("party2.json: replayed: sequence 1 is not above 2"), "\(result.stdout)")
        #expect(result.stdout.contains("party 4 is stale"))
        #expect(result.stdout.contains("party 1 is missing"))
        #expect(result.stdout.contains("1 agree"))
    }

    @Test(
        "statements fetched over HTTP on loopback; an unreachable one and a remote one without --allow-remote are named"
    )
    func urls() throws {
        let root = try TemporaryDirectory.current()
        try Self.makeNetwork(root)
        for party in 1...4 { #expect(try Self.publish(root, party).status == 0) }
        let server = try RunningProcess(
            "/usr/bin/env",
            [
                "python3", "-c",
                """
                import functools, http.server, sys
                class Quiet(http.server.SimpleHTTPRequestHandler):
                    def log_message(self, *args): pass
                server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=sys.argv[1]))
                print(server.server_address[1], flush=True)
                server.serve_forever()
                """,
                root.path("statements"),
            ])
        defer {
            // SIGKILL: the test process may ignore SIGTERM (a daemon test's signal source), and a
            // child inherits that; a server must never outlive its test.
            server.signal(SIGKILL)
            _ = server.waitForExit(timeout: 10)
        }
        #expect(server.waitForOutput(containing: "\n", timeout: 30))
        let port = try #require(Int(server.stdoutSoFar.trimmingCharacters(in: .whitespacesAndNewlines)))
        let urls = (1...4).map { "http://127.0.0.1:\(port)/party\($0).json" }
        let all = try CLI.run(
            ["network", "check", "--keyring", "keyring.toml"] + urls, currentDirectory: root.url)
        #expect(all.status == 0, "\(all.stdout)\(all.stderr)")
        let some = try CLI.run(
            ["network", "check", "--keyring", "keyring.toml"] + urls.prefix(2)
                + ["http://127.0.0.1:\(port)/nothing.json", "https://party4.example.org/statement.json"],
            currentDirectory: root.url)
        #expect(some.status == 1)
        #expect(some.stdout.contains("nothing.json: could not be read"), "\(some.stdout)")
        #expect(some.stdout.contains("party4.example.org/statement.json: could not be read"))
        #expect(some.stdout.contains("party 3 is missing") && some.stdout.contains("party 4 is missing"))
    }

    @Test("--db: the statement carries the history's chain head")
    func chainHead() throws {
        let root = try TemporaryDirectory.current()
        try Self.makeNetwork(root)
        let snapshot = try CLI.run(
            ["snapshot", "--dir", "party1", "--db", "history.db"], currentDirectory: root.url)
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        let head = try #require(
            snapshot.stdout.split(separator: "chain=").last?.prefix { !$0.isWhitespace && $0 != ";" })
        #expect(try Self.publish(root, 1, ["--db", "../history.db"]).status == 0)
        #expect(try root.readText("statements/party1.json").contains("\"chain_head\": \"\(head)\""))
        let missing = try Self.publish(root, 1, ["--db", "../nothing.db"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no kms-drift store there"))
    }

    @Test(
        "errors exit 2 with what to do",
        arguments: [
            (["network", "check", "nowhere", "--keyring", "keyring.toml"], "cannot read nowhere"),
            (["network", "check", "statements", "--keyring", "missing.toml"], "cannot read missing.toml"),
            (
                ["network", "check", "statements", "--keyring", "keyring.toml", "--max-age", "soon"],
                "is not an age"
            ),
            (
                ["network", "check", "statements", "--keyring", "keyring.toml", "--self", "1"],
                "cannot be the reference"
            ),
            (
                ["statement", "party1/kms-server.toml", "--key", "keys/p1.key", "--keyring", "keyring.toml"],
                "--sequence"
            ),
            (
                [
                    "statement", "party1/kms-server.toml", "--key", "keys/p2.key", "--keyring",
                    "keyring.toml", "--sequence", "1",
                ],
                "pins another public key for party 1"
            ),
            (
                [
                    "statement", "party1/kms-server.toml", "--key", "keys/p1.key", "--keyring",
                    "keyring.toml", "--sequence", "1",
                ],
                "certificate of peer 1"
            ),
        ])
    func errors(arguments: [String], message: String) throws {
        let root = try TemporaryDirectory.current()
        try Self.makeNetwork(root)
        let result = try CLI.run(arguments, currentDirectory: root.url)
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
