import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// No displayed content hash can test a guess (issue 18): a 0600 file holding `hunter2` never
/// shows as a prefix of sha256("hunter2") in `show`, `list`, `diff`, JSON, the event log, hook
/// payloads or log lines; what is shown is keyed with the store's key.
@Suite("displayed content hashes are keyed", .temporaryDirectory)
struct DisplayedHashTests {
    /// The first 12 hex digits of `printf hunter2 | sha256sum` and of `printf hunter3 | sha256sum`.
    static let guesses = ["f52fbd32b2b3", "b1ad2b1b6a2b"]

    @Test("a 0600 password file: show, list, diff, JSON, events, hooks and logs never print its sha256")
    func neverRawSHA256() throws {
        let directory = try TemporaryDirectory.current()
        let root = directory.url
        // The real prefixes, computed here rather than trusted from the comment above.
        let prefixes = try ["hunter2", "hunter3"].map { word in
            let result = try runProcess("/bin/sh", ["-c", "printf %s \(word) | sha256sum"])
            return String(result.stdout.prefix(12))
        }
        #expect(prefixes[0] == Self.guesses[0])
        try directory.write("tree/db_password.txt", "hunter2", mode: 0o600)
        try directory.write("tree/node.toml", "threshold = 4\n")
        let hookOutput = root.appendingPathComponent("hook.json").path
        let hook = try writeFile(
            "#!/bin/sh\ncat >> \"\(hookOutput)\"\n", to: root.appendingPathComponent("hook.sh"))
        chmod(hook, 0o755)
        try writeFile(
            """
            [watch]
            directory = "tree"
            [store]
            database = "history.db"
            [log]
            json_file = "events.jsonl"
            [[hooks]]
            command = ["\(hook)"]
            """, to: root.appendingPathComponent("kms-drift.toml"))
        var outputs: [String] = []
        func run(_ arguments: [String]) throws {
            let result = try CLI.run(arguments + ["--config", "kms-drift.toml"], currentDirectory: root)
            #expect(result.status != 2, "\(arguments): \(result.stderr)")
            outputs.append(result.stdout + result.stderr)
        }
        try run(["snapshot"])
        try directory.write("tree/db_password.txt", "hunter3", mode: 0o600)
        try run(["snapshot"])
        try run(["show", "latest"])
        try run(["show", "1"])
        try run(["list"])
        try run(["list", "--long"])
        try run(["list", "--format", "json"])
        try run(["diff", "1", "2"])
        try run(["diff", "1", "2", "--format", "json"])
        try run(["diff", "latest"])
        outputs.append(try String(contentsOf: root.appendingPathComponent("events.jsonl"), encoding: .utf8))
        outputs.append(try String(contentsOfFile: hookOutput, encoding: .utf8))
        #expect(outputs[2].contains("db_password.txt"), "show lists the file: \(outputs[2])")
        #expect(outputs[2].contains("hmac:"), "\(outputs[2])")
        for (index, output) in outputs.enumerated() {
            for prefix in prefixes {
                #expect(!output.contains(prefix), "output \(index) shows sha256 \(prefix): \(output)")
            }
        }
    }
}
