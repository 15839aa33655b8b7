import Foundation
import TestSupport
import Testing

/// Issue 18's two laundering routes, as an attacker with write access to the database only would
/// run them with the sqlite3 shell: `verify --public-key` exits 2 after each, before and after a
/// signed cycle, and the signed cycle raises an `error` event instead of signing.
@Suite("kms-drift verify: a signed chain cannot be laundered", .temporaryDirectory)
struct ChainLaunderingCommandTests {
    typealias History = ChainCommandTests.History

    var publicKey: String { "signing.key.pub" }

    /// `verify --public-key` from the history's directory, as an operator types it.
    func verify(_ history: History) throws -> ProcessResult {
        try CLI.run(
            ["verify", "--config", "kms-drift.toml", "--public-key", publicKey],
            currentDirectory: history.root)
    }

    /// One signed cycle with the configured key: it must refuse, with an `error` event.
    func expectSignedCycleRefused(_ history: History, saying text: String) throws {
        try writeFile("threshold = 9\n", to: history.root.appendingPathComponent("tree/node.toml"))
        let cycle = try CLI.run(["snapshot", "--config", history.config])
        #expect(cycle.status == 2, "\(cycle.stdout)")
        #expect(cycle.stderr.contains("event=error"), "\(cycle.stderr)")
        #expect(cycle.stderr.contains(text), "\(cycle.stderr)")
    }

    @Test("route 1: a snapshot deleted, chain_links dropped, user_version = 4")
    func droppedChain() throws {
        let history = try History(signed: true)
        _ = try history.sqlite(
            """
            DELETE FROM comparisons WHERE snapshot_id = 2; DELETE FROM entries WHERE snapshot_id = 2;
            DELETE FROM snapshots WHERE id = 2; DROP TABLE chain_links; PRAGMA user_version = 4;
            """)
        let before = try verify(history)
        #expect(before.status == 2)
        #expect(
            before.stderr.contains("was tampered with: its schema version was set back from 8 to 4"),
            "\(before.stderr)")
        try expectSignedCycleRefused(history, saying: "was tampered with")
        #expect(try verify(history).status == 2)
        #expect(try history.sqlite("SELECT count(*) FROM sqlite_schema WHERE name = 'chain_links'") == "0\n")
        let script = try runProcess(
            "/usr/bin/env",
            [
                "python3", TestPaths.packageRoot.appendingPathComponent("scripts/chain_v1.py").path,
                history.database,
            ])
        #expect(script.status == 1, "\(script.stdout)\(script.stderr)")
        #expect(script.stdout.contains("schema version was set back from 8 to 4"), "\(script.stdout)")
    }

    @Test("route 2: a note edited, every link re-hashed by the README's rules, every signature removed")
    func strippedSignatures() throws {
        let history = try History(signed: true)
        // The README's serialisation, applied by the independent script's own functions.
        let rehash = """
            import hashlib, sqlite3, sys
            sys.path.insert(0, sys.argv[1])
            from chain_v1 import header_text
            db = sqlite3.connect(sys.argv[2])
            db.execute("UPDATE chain_links SET note = 'edited' WHERE snapshot_id = 2")
            previous = "0" * 64
            for row in db.execute(
                "SELECT snapshot_id, taken_at_ns, root, host, machine_id, tool_version, origin, note, "
                "network_fingerprint, manifest_sha256 FROM chain_links ORDER BY snapshot_id").fetchall():
                chain = hashlib.sha256(header_text(row[:9], previous, row[9].hex()).encode()).hexdigest()
                db.execute("UPDATE chain_links SET previous_sha256 = ?, chain_sha256 = ?, signature = NULL "
                           "WHERE snapshot_id = ?", (bytes.fromhex(previous), bytes.fromhex(chain), row[0]))
                previous = chain
            db.commit()
            """
        let edited = try runProcess(
            "/usr/bin/env",
            [
                "python3", "-c", rehash, TestPaths.packageRoot.appendingPathComponent("scripts").path,
                history.database,
            ])
        #expect(edited.status == 0, "\(edited.stderr)")

        let before = try verify(history)
        #expect(before.status == 2)
        #expect(before.stderr.contains("not signed, but signing began at #1"), "\(before.stderr)")
        try expectSignedCycleRefused(history, saying: "the hash chain does not verify")
        let after = try verify(history)
        #expect(after.status == 2)
        #expect(after.stderr.contains("not signed, but signing began at #1"), "\(after.stderr)")
        #expect(try history.sqlite("SELECT count(*) FROM chain_links") == "3\n", "nothing signed on top")
        let script = try runProcess(
            "/usr/bin/env",
            [
                "python3", TestPaths.packageRoot.appendingPathComponent("scripts/chain_v1.py").path,
                history.database,
            ])
        #expect(script.status == 1, "\(script.stdout)")
        #expect(script.stdout.contains("unsigned, but signing began at #1"), "\(script.stdout)")
    }
}
