import Foundation
import TestSupport
import Testing

/// What an operator relies on without reading the code: one filter for both sides of a
/// comparison, the installed configuration by default, paths relative to the configuration
/// file, one error per problem, and blind spots that are errors.
@Suite("Operator defaults and alerts", .temporaryDirectory)
struct OperatorDefaultsTests {
    let root: TemporaryDirectory

    init() throws {
        root = try TemporaryDirectory.current()
    }

    /// A configuration with a reference directory, excluding `*.bak`.
    func writeDirectoryModeConfig() throws -> String {
        try root.write("live/kms-server.toml", "[service]\nlisten_port = 50100\n")
        try root.write("live/notes.bak", "same in both\n")
        try root.write("gitops/kms-server.toml", "[service]\nlisten_port = 50_100\n")
        try root.write("gitops/notes.bak", "same in both\n")
        return try root.write(
            "etc/kms-drift.toml",
            """
            [watch]
            directory = "../live"
            exclude = ["*.bak"]
            [store]
            database = "../history.db"
            [reference]
            mode = "directory"
            directory = "../gitops"
            """)
    }

    @Test("an excluded file identical in both directories is not 'file removed': one filter for both trees")
    func excludeAppliesToTheReferenceDirectory() throws {
        let config = try writeDirectoryModeConfig()
        let result = try CLI.run(["snapshot", "--config", config])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("no differences"))
        #expect(!result.stdout.contains("notes.bak"))
        #expect(!result.stderr.contains("event=drift"))
    }

    @Test("relative paths resolve against the configuration file's directory, from any working directory")
    func relativePaths() throws {
        let config = try writeDirectoryModeConfig()
        let elsewhere = try root.makeDirectory("somewhere/else")
        let result = try CLI.run(["snapshot", "--config", config], currentDirectory: elsewhere)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.path("history.db")))
    }

    @Test("KMS_DRIFT_CONFIG is read when --config is not given")
    func configFromEnvironment() throws {
        let config = try writeDirectoryModeConfig()
        #expect(try CLI.run(["snapshot", "--config", config]).status == 0)
        let list = try CLI.run(["list", "--no-status"], environment: ["KMS_DRIFT_CONFIG": config])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("#1"))
    }

    @Test("baseline set in directory-reference mode is an error that says to update the directory")
    func baselineSetInDirectoryMode() throws {
        let config = try writeDirectoryModeConfig()
        #expect(try CLI.run(["snapshot", "--config", config]).status == 0)
        let result = try CLI.run(["baseline", "set", "latest", "--reason", "test", "--config", config])
        #expect(result.status == 2)
        #expect(result.stderr.contains("would change nothing"))
        #expect(result.stderr.contains("gitops"))
    }

    @Test("ten cycles of one broken file raise one error; the fix raises one recovered")
    func oneErrorPerProblem() throws {
        let watched = try root.makeDirectory("watched")
        try root.write("watched/kms-server.toml", "[service]\nlisten_port = 50100\n")
        let events = root.path("events.jsonl")
        let config = try root.write(
            "kms-drift.toml",
            """
            [watch]
            directory = "\(watched.path)"
            [store]
            database = "\(root.path("history.db"))"
            [log]
            json_file = "\(events)"
            """)
        #expect(try CLI.run(["snapshot", "--config", config]).status == 0)
        try root.write("watched/kms-server.toml", "[service]\nlisten_port = = 1\n")
        for _ in 0..<10 {
            let broken = try CLI.run(["snapshot", "--config", config])
            #expect(broken.status == 2)
            #expect(broken.stderr.contains("kms-server.toml:2:15"))
        }
        try root.write("watched/kms-server.toml", "[service]\nlisten_port = 50100\n")
        #expect(try CLI.run(["snapshot", "--config", config]).status == 0)
        let lines = try root.readText("events.jsonl").split(separator: "\n")
        let kinds = lines.compactMap { line -> String? in
            guard let range = line.range(of: #""event": ?"[a-z]+""#, options: .regularExpression) else {
                return nil
            }
            return line[range].split(separator: "\"").last.map(String.init)
        }
        #expect(kinds == ["error", "recovered"], "\(lines)")
        // The error names the watched file, never the snapshot number that changes every cycle.
        #expect(lines.first?.contains("watched/kms-server.toml:2:15") == true)
    }

    @Test(
        "a file kms-drift cannot read is an error event and exit 2, not 'no differences'",
        .enabled(if: getuid() == 0, "needs root to run kms-drift as another user (setpriv)"))
    func unreadableFileIsAnError() throws {
        let watched = try root.makeDirectory("watched")
        try root.write("watched/kms-server.toml", "[service]\nlisten_port = 50100\n")
        let key = try root.write(
            "watched/key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", mode: 0o600)
        // Everything belongs to `nobody` but the key, which stays root's 0600, as a KMS key is
        // kms-server's: kms-drift runs as nobody, as the unit runs it as kms-drift.
        #expect(try runProcess("/bin/chown", ["-R", "65534:65534", root.path]).status == 0)
        #expect(chown(key, 0, 0) == 0)
        let database = root.path("history.db")
        func snapshot() throws -> ProcessResult {
            try runProcess(
                "/usr/bin/setpriv",
                [
                    "--reuid=65534", "--regid=65534", "--clear-groups", "--", CLI.binary.path, "snapshot",
                    "--dir",
                    watched.path, "--db", database,
                ],
                environment: CLI.environment())
        }
        let first = try snapshot()
        #expect(first.status == 2, "\(first.stdout)\(first.stderr)")
        #expect(first.stderr.contains("key.pem: Permission denied"))
        #expect(first.stderr.contains("cannot see changes"))
        #expect(first.stderr.contains("event=error"))
        let second = try snapshot()
        #expect(second.status == 2, "still a blind spot, still exit 2")
        #expect(!second.stderr.contains("event=error"), "raised once, not every cycle")
    }

    @Test(
        "a key file made world-readable is critical drift between snapshots; a GitOps directory's modes are not compared"
    )
    func modeChange() throws {
        let watched = try root.makeDirectory("watched")
        let key = try root.write(
            "watched/key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", mode: 0o600)
        let database = root.path("history.db")
        #expect(try CLI.run(["snapshot", "--dir", watched.path, "--db", database]).status == 0)
        #expect(chmod(key, 0o644) == 0)
        let drifted = try CLI.run(["snapshot", "--dir", watched.path, "--db", database])
        #expect(drifted.status == 1, "\(drifted.stdout)\(drifted.stderr)")
        #expect(drifted.stdout.contains("mode changed: mode 0600 → mode 0644"), "\(drifted.stdout)")
        #expect(drifted.stdout.contains("1 critical"))
        // check of two directories compares meaning and bytes, never modes (a checkout has none).
        let copy = try root.write(
            "copy/key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", mode: 0o600)
        _ = copy
        #expect(try CLI.run(["check", root.path("copy"), watched.path]).status == 0)
    }

    @Test("an include set that matches nothing is an error, not an empty watch")
    func includeMatchingNothing() throws {
        let watched = try root.makeDirectory("watched")
        try root.write("watched/kms-server.toml", "[service]\nlisten_port = 50100\n")
        let config = try root.write(
            "kms-drift.toml",
            """
            [watch]
            directory = "\(watched.path)"
            include = ["*.yaml"]
            [store]
            database = "\(root.path("history.db"))"
            """)
        let result = try CLI.run(["snapshot", "--config", config])
        #expect(result.status == 2)
        #expect(result.stderr.contains("matches no file"))
    }

    @Test("an invalid glob in the configuration is located and explained")
    func invalidGlob() throws {
        let config = try root.write(
            "kms-drift.toml", "[watch]\ndirectory = \"/tmp\"\ninclude = [\"ok\", \"[\"]\n")
        let result = try CLI.run(["list", "--config", config])
        #expect(result.status == 2)
        #expect(result.stderr.contains("kms-drift.toml:3:18"), "\(result.stderr)")
        #expect(result.stderr.contains("not closed"))
    }

    @Test("diff says the size of a non-TOML file that changed, as check does")
    func diffNamesSizes() throws {
        let watched = try root.makeDirectory("watched")
        try root.write("watched/ca.pem", "one\n")
        let database = root.path("history.db")
        #expect(try CLI.run(["snapshot", "--dir", watched.path, "--db", database]).status == 0)
        try root.write("watched/ca.pem", "three\n")
        #expect(try CLI.run(["snapshot", "--dir", watched.path, "--db", database]).status == 1)
        let diff = try CLI.run(["diff", "#1", "#2", "--db", database])
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("4 bytes"), "\(diff.stdout)")
        #expect(diff.stdout.contains("6 bytes"))
    }
}

@Suite("validate on a directory and on broken files", .temporaryDirectory)
struct ValidatePathsTests {
    @Test(
        "a directory is validated as its *.toml files; a file with invalid TOML is in the JSON with its error"
    )
    func directoryAndBrokenFile() throws {
        let root = try TemporaryDirectory.current()
        let corpus = TestPaths.shared.appendingPathComponent("corpus/kms")
        let good = try String(
            contentsOf: corpus.appendingPathComponent("core__service__config__default_1.toml"),
            encoding: .utf8)
        try root.write("configs/party1.toml", good)
        try root.write("configs/notes.txt", "not a config\n")
        try root.write("configs/sub/client.toml", "kms_type = \"threshold\"\n")
        // The corpus config's certs/ are not beside it: judged without them.
        let text = try CLI.run(["validate", "--no-certificates", root.path("configs")])
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("party1.toml: 0 errors"))
        #expect(!text.stdout.contains("notes.txt"))

        try root.write("configs/broken.toml", "[service\n")
        let json = try CLI.run(["validate", "--format", "json", root.path("configs")])
        #expect(json.status == 2)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let files = try #require(document["files"] as? [[String: Any]])
        let broken = try #require(files.first { ($0["file"] as? String)?.hasSuffix("broken.toml") == true })
        #expect((broken["error"] as? String)?.contains("broken.toml:1:") == true, "\(broken)")
        #expect(files.contains { ($0["file"] as? String)?.hasSuffix("party1.toml") == true })
    }
}
