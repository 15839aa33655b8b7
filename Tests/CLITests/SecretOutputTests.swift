import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Secrets never leave in clear: not through a parse error (stderr, log, event log, hook), and
/// their fingerprints are keyed (per store, per run, or by --secret-key-file).
@Suite("Secrets in every output", .temporaryDirectory, .serialized)
struct SecretOutputTests {
    let root: URL
    var watched: URL { root.appendingPathComponent("watched") }

    init() throws {
        root = try TemporaryDirectory.current().url
    }

    @Test(
        "a parse error on a secret line: stderr, log line, event log and hook payload never quote the value")
    func parseErrorEverywhere() throws {
        try writeFile("[vault]\npassword = \"old\"\n", to: watched.appendingPathComponent("vault.toml"))
        let hookOutput = root.appendingPathComponent("hook.json").path
        let hook = try writeFile(
            "#!/bin/sh\ncat > \"\(hookOutput)\"\n", to: root.appendingPathComponent("hook.sh"))
        chmod(hook, 0o755)
        let events = root.appendingPathComponent("events.jsonl").path
        let config = try writeFile(
            """
            [watch]
            directory = "\(watched.path)"
            [store]
            database = "\(root.appendingPathComponent("h.db").path)"
            [log]
            json_file = "\(events)"
            [[hooks]]
            name = "record"
            on = ["error"]
            command = ["\(hook)"]
            """, to: root.appendingPathComponent("kms-drift.toml"))
        #expect(try CLI.run(["snapshot", "--config", config]).status == 0)
        try writeFile(
            "[vault]\npassword = 9f8e7d6c5b4a39281706\n", to: watched.appendingPathComponent("vault.toml"))
        let result = try CLI.run(["snapshot", "--config", config])
        #expect(result.status == 2)
        #expect(result.stderr.contains("vault.toml:2:12"), "\(result.stderr)")
        let payload = (try? String(contentsOfFile: hookOutput, encoding: .utf8)) ?? ""
        let eventLog = (try? String(contentsOfFile: events, encoding: .utf8)) ?? ""
        #expect(payload.contains("\"error\""), "the hook ran: \(payload)")
        #expect(eventLog.contains("vault.toml"))
        for output in [result.stdout, result.stderr, payload, eventLog] {
            #expect(!output.contains("9f8e7d6c5b4a39281706"), "\(output)")
        }
    }

    @Test("fingerprints: the store's key is stable across runs; check's is per run unless --secret-key-file")
    func keyedFingerprints() throws {
        let reference = try writeFile(
            "[db]\npassword = \"hunter1\"\n", to: root.appendingPathComponent("a.toml"))
        let current = try writeFile(
            "[db]\npassword = \"hunter2\"\n", to: root.appendingPathComponent("b.toml"))
        func fingerprints(_ output: String) -> [String] {
            output.split(separator: " ").filter { $0.hasPrefix("hmac:") }.map(String.init)
        }
        let first = try CLI.run(["check", reference, current])
        let second = try CLI.run(["check", reference, current])
        #expect(first.status == 1)
        #expect(fingerprints(first.stdout).count == 2, "\(first.stdout)")
        #expect(fingerprints(first.stdout) != fingerprints(second.stdout), "a key per run")
        // sha256("hunter2") = f52fbd32b2b3…: never shown.
        #expect(!first.stdout.contains("f52fbd32b2b3"))
        #expect(!first.stdout.contains("hunter"))

        let keyFile = root.appendingPathComponent("key").path
        _ = FileManager.default.createFile(
            atPath: keyFile, contents: Data((0..<32).map { UInt8($0 * 7 % 256) }))
        let keyed1 = try CLI.run(["check", "--secret-key-file", keyFile, reference, current])
        let keyed2 = try CLI.run([
            "check", "--secret-key-file", keyFile, "--format", "json", reference, current,
        ])
        #expect(fingerprints(keyed1.stdout).count == 2)
        for print in fingerprints(keyed1.stdout) { #expect(keyed2.stdout.contains(print)) }
        let short = root.appendingPathComponent("short").path
        _ = FileManager.default.createFile(atPath: short, contents: Data("abc".utf8))
        #expect(try CLI.run(["check", "--secret-key-file", short, reference, current]).status == 2)

        // In a store: the same secret, the same fingerprint in every run and command.
        try writeFile("[db]\npassword = \"hunter1\"\n", to: watched.appendingPathComponent("db.toml"))
        let database = root.appendingPathComponent("h.db").path
        #expect(try CLI.run(["snapshot", "--dir", watched.path, "--db", database]).status == 0)
        try writeFile("[db]\npassword = \"hunter2\"\n", to: watched.appendingPathComponent("db.toml"))
        let snapshot = try CLI.run(["snapshot", "--dir", watched.path, "--db", database])
        let diff1 = try CLI.run(["diff", "1", "2", "--db", database])
        let diff2 = try CLI.run(["diff", "1", "2", "--db", database])
        #expect(fingerprints(diff1.stdout).count == 2)
        #expect(fingerprints(diff1.stdout) == fingerprints(diff2.stdout))
        for print in fingerprints(diff1.stdout) {
            #expect(snapshot.stdout.contains(print), "\(snapshot.stdout)")
        }
        #expect(fingerprints(diff1.stdout) != fingerprints(first.stdout), "a store's key is its own")
    }

    @Test("a non-TOML file's content is summarised by a keyed fingerprint, never its plain SHA-256")
    func contentSummaries() throws {
        try writeFile("hunter1\n", to: root.appendingPathComponent("a/db.pass"))
        try writeFile("hunter2\n", to: root.appendingPathComponent("b/db.pass"))
        let result = try CLI.run([
            "check", root.appendingPathComponent("a").path, root.appendingPathComponent("b").path,
        ])
        #expect(result.status == 1)
        #expect(result.stdout.contains("hmac:"), "\(result.stdout)")
        // sha256("hunter2\n") = 46a9d5bde718…
        #expect(!result.stdout.contains("sha256:") && !result.stdout.contains("46a9d5bde718"))
    }
}
