import Foundation
import TestSupport
import Testing

@Suite("kms-drift check", .temporaryDirectory)
struct CheckCommandTests {
    let directory: URL

    init() throws {
        directory = try TemporaryDirectory.current().url
    }

    @Test("same meaning exits 0 and says so")
    func same() throws {
        let a = try writeFile(
            "[service]\nlisten_port = 50100\n", to: directory.appendingPathComponent("a.toml"))
        let b = try writeFile(
            "# reformatted\nservice.listen_port = 50_100\n", to: directory.appendingPathComponent("b.toml"))
        let result = try CLI.run(["check", a, b])
        #expect(result.status == 0)
        #expect(result.stdout == "no differences\n")
    }

    @Test("differences exit 1 with key path, both lines and a summary")
    func differences() throws {
        let a = try writeFile(
            "[service]\nlisten_port = 50100\n", to: directory.appendingPathComponent("ref.toml"))
        let b = try writeFile(
            "\n[service]\nlisten_port = 50101\n", to: directory.appendingPathComponent("cur.toml"))
        let result = try CLI.run(["check", a, b])
        #expect(result.status == 1)
        #expect(result.stdout.contains("service.listen_port  50100 → 50101  (\(a):2 → \(b):3)"))
        #expect(result.stdout.hasSuffix("1 difference: 1 warning\n"))
        #expect(!result.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    @Test("--format json is machine-readable and --ignore drops paths")
    func json() throws {
        let a = try writeFile(
            "[telemetry]\nx = 1\n[service]\ny = 1\n", to: directory.appendingPathComponent("a.toml"))
        let b = try writeFile(
            "[telemetry]\nx = 2\n[service]\ny = 1\n", to: directory.appendingPathComponent("b.toml"))
        let result = try CLI.run(["check", "--format", "json", a, b])
        #expect(result.status == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((object["summary"] as? [String: Any])?["differences"] as? Int == 1)
        let ignored = try CLI.run(["check", "--ignore", "telemetry.*", a, b])
        #expect(ignored.status == 0)
    }

    @Test("invalid TOML exits 2 with file:line:column")
    func invalid() throws {
        let a = try writeFile("port = 1\n", to: directory.appendingPathComponent("a.toml"))
        let b = try writeFile("port = 1\nport = 2\n", to: directory.appendingPathComponent("b.toml"))
        let result = try CLI.run(["check", a, b])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(b):2:"))
        #expect(result.stdout.isEmpty)
    }

    @Test("an unrendered template gets a hint")
    func template() throws {
        let a = try writeFile("[threshold]\nmy_id = 1\n", to: directory.appendingPathComponent("a.toml"))
        let b = try writeFile(
            "[threshold]\nmy_id = ${PARTY_ID}\n", to: directory.appendingPathComponent("b.toml"))
        let result = try CLI.run(["check", a, b])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(b):2:9"))
        #expect(result.stderr.lowercased().contains("template"))
    }

    @Test("missing file, file vs directory, bad usage: exit 2 with a reason")
    func errors() throws {
        let a = try writeFile("x = 1\n", to: directory.appendingPathComponent("a.toml"))
        let missing = try CLI.run(["check", a, directory.appendingPathComponent("nope.toml").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.toml: no such file or directory"))
        let mismatch = try CLI.run(["check", a, directory.path])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("is a directory"))
        let usage = try CLI.run(["check", a])
        #expect(usage.status == 2)
        let badPattern = try CLI.run(["check", "--ignore", "a..b", a, a])
        #expect(badPattern.status == 2)
    }

    @Test("directories: added, removed and changed files")
    func directories() throws {
        let ref = directory.appendingPathComponent("ref")
        let cur = directory.appendingPathComponent("cur")
        try writeFile("a = 1\n", to: ref.appendingPathComponent("node.toml"))
        try writeFile("a = 2\n", to: cur.appendingPathComponent("node.toml"))
        try writeFile("x", to: ref.appendingPathComponent("old.pem"))
        try writeFile("y", to: cur.appendingPathComponent("new.pem"))
        let result = try CLI.run(["check", ref.path, cur.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("node.toml"))
        #expect(result.stdout.contains("file removed"))
        #expect(result.stdout.contains("file added"))
        #expect(result.stdout.hasSuffix("3 differences: 2 critical, 1 warning\n"))
    }

    @Test("a file that became a symlink is a kind change in text and JSON alike")
    func kindChange() throws {
        let ref = directory.appendingPathComponent("kref")
        let cur = directory.appendingPathComponent("kcur")
        try writeFile("x", to: ref.appendingPathComponent("ca.pem"))
        try FileManager.default.createDirectory(at: cur, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: cur.appendingPathComponent("ca.pem").path, withDestinationPath: "/elsewhere/ca.pem")
        let text = try CLI.run(["check", ref.path, cur.path])
        #expect(text.status == 1)
        #expect(text.stdout.contains("kind changed: hmac:"), "\(text.stdout)")
        #expect(text.stdout.contains("symlink to /elsewhere/ca.pem"))
        let json = try CLI.run(["check", "--format", "json", ref.path, cur.path])
        #expect(json.stdout.contains("\"kind-changed\""))
    }

    @Test("an explicit --color always wins over NO_COLOR; auto honours it")
    func colorFlagWins() throws {
        let ref = try writeFile("a = 1\n", to: directory.appendingPathComponent("c1.toml"))
        let cur = try writeFile("a = 2\n", to: directory.appendingPathComponent("c2.toml"))
        let always = try CLI.run(["check", "--color", "always", ref, cur], environment: ["NO_COLOR": "1"])
        #expect(always.stdout.contains("\u{1B}["))
        let auto = try CLI.run(["check", ref, cur], environment: ["NO_COLOR": "1"])
        #expect(!auto.stdout.contains("\u{1B}["))
    }

    @Test("the demo in config/ runs as the README says")
    func demo() throws {
        let result = try CLI.run(
            ["check", "config/demo/reference/kms-server.toml", "config/demo/current/kms-server.toml"],
            currentDirectory: TestPaths.packageRoot)
        #expect(result.status == 1)
        #expect(result.stdout.contains("threshold.peers[party_id=3].address"))
        #expect(!result.stdout.contains("minio-secret"), "the demo's S3 password must be redacted")
    }
}
