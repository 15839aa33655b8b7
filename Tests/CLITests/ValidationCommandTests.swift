import Foundation
import TestSupport
import Testing

/// `validate`, `consistency` and `fingerprint` end to end: output and exit status.
@Suite("validate, consistency, fingerprint (CLI)", .temporaryDirectory)
struct ValidationCommandTests {
    static let corpus = TestPaths.shared.appendingPathComponent("corpus/kms")
    /// Thirteen server-style party configs and the guide example, generated once.
    static var partyConfigs: [String]? { try? GeneratedParties.serverConfigs.get() }
    static var guideConfig: String? { try? GeneratedParties.guideConfig.get() }

    /// Party `number`'s config written to this test's directory; returns its path.
    static func party(_ number: Int) throws -> String {
        try writeFile(
            try #require(partyConfigs)[number - 1],
            to: try TemporaryDirectory.current().url("party\(number).toml"))
    }

    /// The guide example written to this test's directory; returns its path.
    static func guide() throws -> String {
        try TemporaryDirectory.current().write("guide.toml", try #require(guideConfig))
    }

    @Test(
        "validate: real server configs exit 0 without their certificates; client configs get a note and exit 0"
    )
    func validateCorpus() throws {
        let server = Self.corpus.appendingPathComponent("core__service__config__default_1.toml").path
        let client = Self.corpus.appendingPathComponent("core-client__config__client_local_threshold.toml")
            .path
        let result = try CLI.run(["validate", "--no-certificates", server, client])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("default_1.toml: 0 errors, 0 warnings"))
        #expect(result.stdout.contains("note: not a kms-server config (looks like a kms-core-client config)"))
        // Its certs/ directory is not here: kms-server started from here would not start
        // (conf/threshold.rs:138), and validate says so.
        let withFiles = try CLI.run(["validate", server])
        #expect(withFiles.status == 1)
        #expect(
            withFiles.stdout.contains("fails at start-up: \"Failed to open TLS cert file certs/cert_p1.pem\"")
        )
    }

    @Test("validate: the guide example exits 1 with the guide's names explained")
    func validateGuide() throws {
        let guide = try Self.guide()
        let result = try CLI.run(["validate", "--env", "production", guide])
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                "guide.toml:5:1: error: service.tls_cert_path: refused when parsed: unknown key `tls_cert_path` in [service]"
            ))
        #expect(
            result.stdout.contains("guide.toml:7:1: error: service.max_request_size: refused when parsed:"))
        #expect(
            result.stdout.contains(
                "error: aws.region: fails at start-up: building the S3 client for [private_vault.storage.S3] panics"
            ))
    }

    /// The lines of the README's example that follows `$ <command>`, up to the next `$` or fence.
    static func readmeExample(after command: String) throws -> [String] {
        let readme = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "$ " + command), "README has no `$ \(command)`")
        return Array(lines[(start + 1)...].prefix { !$0.hasPrefix("$ ") && $0 != "```" })
    }

    /// Every README line appears in the real output (a line ending in "…" as a prefix).
    static func expectExample(_ example: [String], in output: String) {
        let actual = output.split(separator: "\n").map(String.init)
        #expect(!example.isEmpty)
        for line in example {
            let found =
                line.hasSuffix("…")
                ? actual.contains { $0.hasPrefix(String(line.dropLast())) } : actual.contains(line)
            #expect(found, "README line not in the output: \(line)")
        }
    }

    @Test("validate: the README's examples are what validate prints")
    func readmeExamples() throws {
        let directory = try TemporaryDirectory.current()
        _ = try Self.guide()
        let guide = try CLI.run(
            ["validate", "--env", "production", "guide.toml"], currentDirectory: directory.url)
        #expect(guide.status == 1)
        Self.expectExample(
            try Self.readmeExample(after: "kms-drift validate --env production guide.toml"), in: guide.stdout)

        var text = try String(
            contentsOf: Self.corpus.appendingPathComponent("core__service__config__default_1.toml"),
            encoding: .utf8)
        for (old, new) in [
            ("listen_address = \"0.0.0.0\"\n\n# Port", "listen_address = \"0.0.0.0:50100\"\n\n# Port"),
            ("s3_endpoint = \"http://dev-s3-mock:9000\"", "s3_endpoint = \"localhost:9000\""),
            ("my_id = 1", "my_id = \"0\""), ("min_dec_cache = 6000", "min_dec_cache = 20000"),
            ("crsgen = 100", "crsgen = 4294967296"),
        ] {
            #expect(text.components(separatedBy: old).count == 2, "\(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        _ = try directory.write("party1.toml", text)
        let party = try CLI.run(
            ["validate", "--no-certificates", "party1.toml"], currentDirectory: directory.url)
        #expect(party.status == 1)
        Self.expectExample(
            try Self.readmeExample(after: "kms-drift validate --no-certificates party1.toml"),
            in: party.stdout)
        let strict = try CLI.run(
            ["validate", "--no-certificates", "--strict", "party1.toml"], currentDirectory: directory.url)
        #expect(strict.status == 1)
        Self.expectExample(
            try Self.readmeExample(
                after: "kms-drift validate --no-certificates --strict party1.toml | tail -1"),
            in: strict.stdout)
    }

    @Test("validate --strict: a warning kms-server would start with exits 1 instead of 0")
    func validateStrict() throws {
        let original = try String(
            contentsOf: Self.corpus.appendingPathComponent("core__service__config__default_1.toml"),
            encoding: .utf8)
        // conf/threshold.rs:61-69: my_id > n is only logged, so kms-server starts.
        let file = try TemporaryDirectory.current().write(
            "party.toml", original.replacingOccurrences(of: "my_id = 1", with: "my_id = 9"))
        let plain = try CLI.run(["validate", "--no-certificates", file])
        #expect(plain.status == 0, "\(plain.stdout)")
        #expect(plain.stdout.contains("party.toml: 0 errors, 1 warning"))
        let strict = try CLI.run(["validate", "--no-certificates", "--strict", file])
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("error: threshold.my_id: my_id = 9 is not the party_id of any peer"))
        #expect(strict.stdout.contains("party.toml: 1 error, 0 warnings"))
    }

    @Test("validate --format json: findings with severity, path, line, column, fix")
    func validateJSON() throws {
        let guide = try Self.guide()
        let result = try CLI.run(["validate", "--format", "json", guide])
        #expect(result.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let files = try #require(object?["files"] as? [[String: Any]])
        let findings = try #require(files.first?["findings"] as? [[String: Any]])
        let first = try #require(findings.first { $0["path"] as? String == "service.request_timeout_secs" })
        #expect(first["severity"] as? String == "error")
        #expect(first["stage"] as? String == "parsing")
        #expect(first["line"] as? Int == 8)
        #expect(first["column"] as? Int == 1)
        #expect((first["fix"] as? String)?.contains("timeout_secs") == true)
        #expect(object?["errors"] as? Int == files.first?["errors"] as? Int)
        let warning = try #require(findings.first { $0["severity"] as? String == "warning" })
        #expect(warning["stage"] is NSNull)
    }

    @Test("validate: invalid TOML or a missing file exits 2")
    func validateErrors() throws {
        let directory = try TemporaryDirectory.current().url
        let bad = try writeFile("[service\n", to: directory.appendingPathComponent("bad.toml"))
        #expect(try CLI.run(["validate", bad]).status == 2)
        #expect(try CLI.run(["validate", directory.appendingPathComponent("none.toml").path]).status == 2)
    }

    @Test("consistency: 13 parties exit 0; a changed threshold exits 1 naming the party")
    func consistency() throws {
        let files = try (1...13).map(Self.party)
        let clean = try CLI.run(["consistency"] + files)
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(clean.stdout.contains("13 parties agree"))

        let directory = try TemporaryDirectory.current().url
        let original = try String(contentsOfFile: files[8], encoding: .utf8)
        let changed = try writeFile(
            original.replacingOccurrences(of: "threshold = 4", with: "threshold = 3"),
            to: directory.appendingPathComponent("changed/party9.toml"))
        var mixed = files
        mixed[8] = changed
        let result = try CLI.run(["consistency", "--format", "json"] + mixed)
        #expect(result.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let disagreement = try #require((object?["disagreements"] as? [[String: Any]])?.first)
        #expect(disagreement["path"] as? String == "threshold.threshold")
        let dissenter = try #require((disagreement["dissenters"] as? [[String: Any]])?.first)
        #expect(dissenter["file"] as? String == changed)
        #expect(dissenter["my_id"] as? Int == 9)
        #expect(dissenter["value"] as? Int == 3)
    }

    @Test("fingerprint: one line, the same for two parties")
    func fingerprint() throws {
        let one = try CLI.run(["fingerprint", try Self.party(1)])
        let two = try CLI.run(["fingerprint", try Self.party(2)])
        #expect(one.status == 0)
        #expect(one.stdout == two.stdout)
        #expect(one.stdout.hasPrefix("sha256:"))
        #expect(one.stdout.split(separator: "\n").count == 1)
    }
}
