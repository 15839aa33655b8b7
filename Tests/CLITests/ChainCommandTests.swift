import Foundation
import TestSupport
import Testing

/// The hash chain end to end: the snapshot line and `verify` name the head, the README's
/// independent re-check (`scripts/chain_v1.py`) agrees, signing with `keygen`'s key is checked by
/// `verify --public-key` and by openssl, and witnesses prove what was logged.
@Suite("kms-drift verify: the hash chain", .temporaryDirectory)
struct ChainCommandTests {
    /// A tree, a database, and three snapshots through `kms-drift snapshot`.
    struct History {
        let root: URL
        let directory: TemporaryDirectory
        var tree: String { root.appendingPathComponent("tree").path }
        var database: String { root.appendingPathComponent("history.db").path }
        var config: String { root.appendingPathComponent("kms-drift.toml").path }
        var snapshotLines: [String] = []

        init(signed: Bool = false) throws {
            directory = try TemporaryDirectory.current()
            root = directory.url
            var toml = "[watch]\ndirectory = \"tree\"\n[store]\ndatabase = \"history.db\"\n"
            if signed {
                let keygen = try CLI.run([
                    "keygen", "--output", root.appendingPathComponent("signing.key").path,
                ])
                #expect(keygen.status == 0, "\(keygen.stderr)")
                toml += "signing_key = \"signing.key\"\n"
            }
            try writeFile(toml, to: URL(fileURLWithPath: config))
            // A link and a private key, so the serialisation is checked with every field filled.
            try directory.write("tree/keys/party.key", randomBytes(64), mode: 0o600)
            try FileManager.default.createSymbolicLink(
                atPath: directory.path("tree/current.toml"), withDestinationPath: "node.toml")
            for (index, text) in ["threshold = 4\n", "threshold = 5\n", "threshold = 6\n"].enumerated() {
                try writeFile(text, to: root.appendingPathComponent("tree/node.toml"))
                let result = try CLI.run(["snapshot", "--config", config, "--note", "step \(index + 1)"])
                #expect(result.status != 2, "\(result.stderr)")
                snapshotLines.append(result.stdout.split(separator: "\n").first.map(String.init) ?? "")
            }
        }

        func sqlite(_ sql: String) throws -> String {
            let result = try runProcess("/usr/bin/env", ["sqlite3", database, sql])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
    }

    static func head(in line: String) -> String? {
        line.range(of: "chain=sha256:").map { "sha256:" + line[$0.upperBound...].prefix(64) }
    }

    @Test("the snapshot line names the head; verify and the independent script agree on it")
    func headAgrees() throws {
        let history = try History()
        let head = try #require(Self.head(in: history.snapshotLines[2]))
        let verify = try CLI.run(["verify", "--config", history.config])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("chain of 3 links intact (3 held, 0 rotated); head #3 \(head)"))

        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        script.arguments = [
            "python3", TestPaths.packageRoot.appendingPathComponent("scripts/chain_v1.py").path,
            history.database,
        ]
        let output = Pipe()
        script.standardOutput = output
        try script.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        script.waitUntilExit()
        #expect(script.terminationStatus == 0, "\(text)")
        #expect(text.hasSuffix("head #3 \(head)\n"), "\(text)")

        let long = try CLI.run(["list", "--config", history.config, "--long", "--no-status"])
        #expect(long.stdout.contains("snapshot"))
        #expect(long.stdout.contains("step 2"))
        let json = try CLI.run(["list", "--config", history.config, "--format", "json", "--no-status"])
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let snapshots = try #require(decoded?["snapshots"] as? [[String: Any]])
        #expect(snapshots.first?["chain"] as? String == head)
        #expect(snapshots.first?["origin"] as? String == "snapshot")
        #expect(snapshots.first?["note"] as? String == "step 3")
    }

    @Test("baseline take: a snapshot taken to be the baseline says so in its metadata")
    func baselineTake() throws {
        let history = try History()
        let taken = try CLI.run([
            "baseline", "take", "--config", history.config, "--reason", "CHG-9: accepted",
        ])
        #expect(taken.status == 0, "\(taken.stderr)")
        #expect(
            taken.stdout.contains("snapshot #4 (3 files) is now the baseline: CHG-9: accepted; chain=sha256:")
        )
        let json = try CLI.run(["list", "--config", history.config, "--format", "json", "--no-status"])
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let newest = try #require((decoded?["snapshots"] as? [[String: Any]])?.first)
        #expect(newest["origin"] as? String == "baseline")
        #expect(newest["note"] as? String == "CHG-9: accepted")
        #expect(newest["baseline"] as? Bool == true)
    }

    @Test("a manifest row edited with the sqlite3 shell: verify exits 2 naming the first bad snapshot")
    func tamperedRow() throws {
        let history = try History()
        _ = try history.sqlite(
            "UPDATE file_states SET mode = mode + 1 WHERE id = (SELECT min(id) FROM file_states)")
        let verify = try CLI.run(["verify", "--config", history.config])
        #expect(verify.status == 2)
        #expect(verify.stderr.contains("the history is not intact at snapshot #1"), "\(verify.stderr)")
        #expect(verify.stderr.contains("no longer match the manifest that was chained"))
    }

    @Test("--expect-head and --witness: heads that were logged must be in the chain")
    func witnesses() throws {
        let history = try History()
        let heads = history.snapshotLines.compactMap(Self.head(in:))
        #expect(heads.count == 3)
        let journal = history.root.appendingPathComponent("journal.txt")
        try writeFile(
            history.snapshotLines.map { "Nov 30 10:00:00 node kms-drift[7]: " + $0 }.joined(separator: "\n"),
            to: journal)
        let good = try CLI.run(
            ["verify", "--config", history.config, "--witness", journal.path, "--expect-head", heads[0]])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("\(heads[0]) from --expect-head is snapshot #1's link"))
        #expect(good.stdout.contains("\(heads[2]) from \(journal.path):3 is snapshot #3's link"))

        let forged = "sha256:" + String(repeating: "ab", count: 32)
        let bad = try CLI.run(["verify", "--config", history.config, "--expect-head", forged])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("the head \(forged) witnessed at --expect-head is not in the chain"))

        let empty = history.root.appendingPathComponent("empty.txt")
        try writeFile("nothing here\n", to: empty)
        let none = try CLI.run(["verify", "--config", history.config, "--witness", empty.path])
        #expect(none.status == 2)
        #expect(none.stderr.contains("holds no chain head"))
    }

    @Test(
        "signed with keygen's key: verify --public-key passes, openssl verifies a link, another key is refused"
    )
    func signed() throws {
        let history = try History(signed: true)
        let publicKey = history.root.appendingPathComponent("signing.key.pub").path
        let verify = try CLI.run(["verify", "--config", history.config, "--public-key", publicKey])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("3 signatures verified"))

        // The README's openssl check of the head's signature, over the 32 bytes of its chain hash.
        let hashFile = history.root.appendingPathComponent("head.bin")
        let signatureFile = history.root.appendingPathComponent("head.sig")
        let hexes = try history.sqlite(
            "SELECT hex(chain_sha256) || ' ' || hex(signature) FROM chain_links ORDER BY snapshot_id DESC LIMIT 1"
        )
        let parts = hexes.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        try Data(bytes(hex: String(parts[0]))).write(to: hashFile)
        try Data(bytes(hex: String(parts[1]))).write(to: signatureFile)
        let openssl = try runProcess(
            "/usr/bin/env",
            [
                "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", publicKey, "-rawin", "-in",
                hashFile.path,
                "-sigfile", signatureFile.path,
            ])
        #expect(openssl.status == 0, "\(openssl.stderr)")

        // Someone without the key re-chains after editing: another key cannot sign for ours.
        let other = history.root.appendingPathComponent("other.key").path
        #expect(try CLI.run(["keygen", "--output", other]).status == 0)
        let otherConfig = history.root.appendingPathComponent("other.toml")
        try writeFile(
            "[watch]\ndirectory = \"tree\"\n[store]\ndatabase = \"history.db\"\nsigning_key = \"other.key\"\n",
            to: otherConfig)
        // kms-drift itself verifies before it signs: the other key is refused, nothing is chained.
        try writeFile("threshold = 7\n", to: history.root.appendingPathComponent("tree/node.toml"))
        let refused = try CLI.run(["snapshot", "--config", otherConfig.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("signature does not verify"), "\(refused.stderr)")
        #expect(try CLI.run(["verify", "--config", history.config, "--public-key", publicKey]).status == 0)
        // With their own code the attacker appends a link signed by their key: verify names it.
        #expect(try CLI.run(["snapshot", "--config", history.config]).status != 2)
        let otherSignature = try history.sqlite(
            "SELECT hex(signature) FROM chain_links WHERE snapshot_id = 1")
        _ = try history.sqlite(
            "UPDATE chain_links SET signature = x'\(otherSignature.trimmingCharacters(in: .whitespacesAndNewlines))' "
                + "WHERE snapshot_id = 4")
        let forged = try CLI.run(["verify", "--config", history.config, "--public-key", publicKey])
        #expect(forged.status == 2)
        #expect(forged.stderr.contains("at snapshot #4"), "\(forged.stderr)")
        #expect(forged.stderr.contains("signature does not verify"))
    }
}

private func bytes(hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        result.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return result
}
