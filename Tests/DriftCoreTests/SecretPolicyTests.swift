import TOML
import TestSupport
import Testing

@testable import DriftCore

@Suite("Secrets never leave in clear")
struct SecretPolicyTests {
    let policy = SecretPolicy()

    @Test(
        "keys that name secrets are redacted; keys that refer to them are not",
        arguments: [
            ("password", true), ("db_password", true), ("api_token", true), ("client_secret", true),
            ("credentials", true), ("private_key", true), ("key", true), ("key.pem", true),
            ("key.path", false), ("tls_key_path", false), ("root_key_id", false), ("root_key_spec", false),
            ("keygen", false), ("address", false), ("bucket_size", false), ("password_file", false),
            // The names an attacker or a careless operator uses, plurals included (one table: SecretNames).
            ("passwords", true), ("private_keys", true), ("pass", true), ("creds", true), ("mnemonic", true),
            ("seed", true), ("bearer", true), ("jwt", true), ("cookie", true), ("session_cookies", true),
            ("api_keys", true), ("vault.passphrases", true), ("seed_file", false), ("bypass", false),
            ("keys", false), ("jwt_path", false),
        ])
    func keyNames(path: String, secret: Bool) {
        let keyPath = KeyPath(path.split(separator: ".").map { .key(String($0)) })
        #expect(policy.isSecretKey(keyPath) == secret)
    }

    @Test(
        "fingerprints are keyed: HMAC-SHA-256, 12 hex digits, different for every key, never the plain SHA-256"
    )
    func fingerprint() {
        // RFC 4231 test case 2: HMAC-SHA-256("Jefe", "what do ya want for nothing?") = 5bdcc146bf60…
        let jefe = FingerprintKey(bytes: Array("Jefe".utf8))
        #expect(jefe.fingerprint(of: "what do ya want for nothing?") == "hmac:5bdcc146bf60")
        let one = SecretPolicy(key: .random())
        let two = SecretPolicy(key: .random())
        #expect(one.fingerprint(of: "hunter2") == one.fingerprint(of: "hunter2"))
        #expect(one.fingerprint(of: "hunter2") != two.fingerprint(of: "hunter2"))
        #expect(one.fingerprint(of: "hunter2") != one.fingerprint(of: "hunter3"))
        // sha256("hunter2") starts f52fbd32b2b3: the unsalted hash is not what is shown.
        #expect(!SecretPolicy().fingerprint(of: "hunter2").contains("f52fbd32b2b3"))
        #expect(SecretPolicy().fingerprint(of: "x") == SecretPolicy().fingerprint(of: "x"), "one key per run")
    }

    @Test(
        "AWS access key ids and PEM blocks are secrets under any key",
        arguments: [
            ("AKIAIOSFODNN7EXAMPLE", true), ("id=ASIAY34FZKBOKMUTVV7A;", true),
            ("XAKIAIOSFODNN7EXAMPLE", false),
            ("AKIAIOSFODNN7EXAMPL", false), ("AKIAIOSFODNN7EXAMPLE1", false), ("akiaiosfodnn7example", false),
        ])
    func secretValues(text: String, secret: Bool) {
        #expect(SecretNames.isSecretValue(text) == secret)
        #expect((policy.redactedText(of: .string(text), at: KeyPath(keys: "note")) != nil) == secret)
    }

    @Test("inline PEM blocks and URL passwords are redacted wherever they are")
    func contentRules() {
        let pem = TOMLValue.string("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n")
        #expect(policy.redactedText(of: pem, at: KeyPath(keys: "tls", "cert", "inline")) != nil)
        let url = TOMLValue.string("https://admin:s3cr3t@minio:9000/bucket")
        let redacted = policy.redactedText(of: url, at: KeyPath(keys: "aws", "s3_endpoint"))
        #expect(redacted == "https://admin:" + policy.fingerprint(of: "s3cr3t") + "@minio:9000/bucket")
        #expect(
            policy.redactedText(of: .string("https://minio:9000"), at: KeyPath(keys: "aws", "s3_endpoint"))
                == nil)
        #expect(SecretPolicy(showSecrets: true).redactedText(of: url, at: KeyPath(keys: "x")) == nil)
    }

    @Test("no output format shows a secret: text and JSON of a changed password")
    func reportsRedact() throws {
        let reference = try parseTOML(
            "[db]\npassword = \"hunter2\"\nurl = \"postgres://u:pw1@h/db\"\n")
        let current = try parseTOML("[db]\npassword = \"hunter3\"\nurl = \"postgres://u:pw2@h/db\"\n")
        let differences = ConfigDiff().differences(from: reference, to: current)
        let report = DriftReport(
            reference: "a.toml", current: "b.toml",
            files: [FileDrift(path: "", status: .changed, differences: differences)])
        let formatter = ValueFormatter(secrets: SecretPolicy())
        let text = TextReportRenderer(formatter: formatter, useColor: false).render(report)
        let json = JSONReportRenderer(formatter: formatter).render(report)
        for output in [text, json] {
            for secret in ["hunter2", "hunter3", "pw1", "pw2"] {
                #expect(!output.contains(secret), "\(secret) leaked in \(output)")
            }
            #expect(output.contains(formatter.secrets.fingerprint(of: "hunter2")))
        }
        let shown = TextReportRenderer(
            formatter: ValueFormatter(secrets: SecretPolicy(showSecrets: true)), useColor: false
        )
        .render(report)
        #expect(shown.contains("hunter3"))
    }

    @Test("a removed table that holds a secret is redacted inside")
    func nestedSecrets() throws {
        let differences = try Fixtures.diff("[auth]\ntoken = \"abc123\"\nuser = \"me\"\n", "")
        let difference = try #require(differences.first)
        let formatter = ValueFormatter(secrets: SecretPolicy())
        let text = formatter.text(try #require(difference.oldValue), at: difference.path)
        #expect(!text.contains("abc123"))
        #expect(text.contains("\"me\""))
    }
}

/// A parse error on a line whose key holds a secret never quotes the value: the message goes to
/// stderr, the log, the event log and hook payloads.
@Suite("Parse errors never quote a secret")
struct SecretParseErrorTests {
    static let documents: [String] = [
        "password = 9f8e7d6c5b4a39281706\n",
        "[vault]\npasswords = [\n  \"a\",\n  9f8e7d6c5b4a39281706\n]\n",
        "a.b.api_token = 9f8e7d6c5b4a39281706\n",
        "x = { creds = 9f8e7d6c5b4a39281706 }\n",
        "[secrets]\nfoo = 9f8e7d6c5b4a39281706\n",
        "[[hooks]]\nenvironment = { PAGER_TOKEN = 9f8e7d6c5b4a39281706 }\n",
        "private_key = \"abc\" 9f8e7d6c5b4a39281706\n",
        "seed = 1979-13-01T9f8e7d6c5b4a39281706\n",
        "note = AKIAIOSFODNN7EXAMPLE\n",
    ]

    @Test("the value is left out; file, line, column and the kind of mistake stay", arguments: documents)
    func hidden(document: String) throws {
        do {
            _ = try ConfigFile.parse(Array(document.utf8), path: "bad.toml")
            Issue.record("expected a parse error")
        } catch {
            let message = error.description
            #expect(!message.contains("9f8e7d6c5b4a39281706"), "\(message)")
            #expect(!message.contains("AKIAIOSFODNN7EXAMPLE"), "\(message)")
            #expect(message.hasPrefix("bad.toml:"), "\(message)")
            if !document.hasPrefix("note") { #expect(message.contains("not shown"), "\(message)") }
        }
    }

    @Test("other keys keep the value in the message: it helps the operator")
    func shownForOtherKeys() {
        #expect(throws: DriftCoreError.self) {
            try ConfigFile.parse(Array("port = 9f8e\n".utf8), path: "a.toml")
        }
        do {
            _ = try ConfigFile.parse(Array("port = 9f8e\n".utf8), path: "a.toml")
        } catch {
            #expect(error.description.contains("9f8e"))
        }
    }
}
