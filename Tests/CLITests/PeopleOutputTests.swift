import Foundation
import TestSupport
import Testing

/// Text for people never carries a raw control character (a file name with ESC, CR or a newline
/// cannot forge a line or drive the terminal), and `snapshot --format json` is one JSON document.
@Suite("Output for people and for machines", .temporaryDirectory)
struct PeopleOutputTests {
    static let hostile = "evil\u{1b}[2J\rcritical  forged\nline.toml"

    @Test("check, snapshot, diff, show and list escape control characters in names and values")
    func controlCharactersEscaped() throws {
        let root = try TemporaryDirectory.current().url
        let watched = root.appendingPathComponent("watched")
        let database = root.appendingPathComponent("h.db").path
        try writeFile("a = 1\n", to: watched.appendingPathComponent("node.toml"))
        #expect(try CLI.run(["snapshot", "--dir", watched.path, "--db", database]).status == 0)
        try writeFile(
            "\"k\\u001b]0;x\" = \"v\\u001b[31m\"\n", to: watched.appendingPathComponent(Self.hostile))
        try writeFile("bytes", to: watched.appendingPathComponent("new\u{1b}[1m.bin"))
        let outputs = [
            try CLI.run(["snapshot", "--dir", watched.path, "--db", database, "--color", "never"]),
            try CLI.run(["diff", "1", "2", "--db", database, "--color", "never"]),
            try CLI.run(["show", "2", "--db", database]),
            try CLI.run(["list", "--db", database, "--dir", watched.path]),
            try CLI.run(["check", "--color", "never", root.appendingPathComponent("none").path, watched.path]
            ),
            try CLI.run([
                "check", "--color", "never", watched.appendingPathComponent("node.toml").path,
                watched.appendingPathComponent(Self.hostile).path,
            ]),
        ]
        for output in outputs {
            for text in [output.stdout, output.stderr] {
                #expect(!text.contains("\u{1b}"), "raw ESC in \(text.debugDescription)")
                #expect(!text.contains("\r"), "raw CR in \(text.debugDescription)")
                #expect(!text.contains("\nline.toml"), "a name split a line: \(text.debugDescription)")
            }
        }
        #expect(
            outputs[0].stdout.contains("evil\\x1b[2J\\rcritical  forged\\nline.toml"), "\(outputs[0].stdout)")
        #expect(outputs[2].stdout.contains("new\\x1b[1m.bin"), "\(outputs[2].stdout)")
    }

    @Test("snapshot --format json prints exactly one JSON document, with drift, problems and exit status")
    func snapshotJSON() throws {
        let root = try TemporaryDirectory.current().url
        let watched = root.appendingPathComponent("watched")
        let database = root.appendingPathComponent("h.db").path
        try writeFile("[service]\nport = 1\n", to: watched.appendingPathComponent("node.toml"))
        let first = try CLI.run(["snapshot", "--dir", watched.path, "--db", database, "--format", "json"])
        try writeFile("[service]\nport = 2\n", to: watched.appendingPathComponent("node.toml"))
        let second = try CLI.run(["snapshot", "--dir", watched.path, "--db", database, "--format", "json"])
        try writeFile("[service\n", to: watched.appendingPathComponent("node.toml"))
        let broken = try CLI.run(["snapshot", "--dir", watched.path, "--db", database, "--format", "json"])
        for (result, status) in [(first, 0), (second, 1), (broken, 2)] {
            #expect(result.status == Int32(status))
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                "not one JSON document: \(result.stdout)")
            #expect(object["schema"] as? String == "kms-drift.snapshot/1")
            #expect(object["exit_status"] as? Int == status)
        }
        let drift = try #require(
            try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        let report = try #require(drift["report"] as? [String: Any])
        #expect((report["summary"] as? [String: Any])?["differences"] as? Int == 1)
        let failed = try #require(
            try JSONSerialization.jsonObject(with: Data(broken.stdout.utf8)) as? [String: Any])
        #expect((failed["problems"] as? [String])?.first?.contains("node.toml:1:") == true)
    }
}
