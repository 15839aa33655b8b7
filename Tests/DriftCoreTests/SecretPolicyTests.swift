import TOML
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
        ])
    func keyNames(path: String, secret: Bool) {
        let keyPath = KeyPath(path.split(separator: ".").map { .key(String($0)) })
        #expect(policy.isSecretKey(keyPath) == secret)
    }

    @Test("fingerprints are sha256 and 12 hex digits")
    func fingerprint() {
        // sha256("hunter2") = f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7
        #expect(SecretPolicy.fingerprint(of: "hunter2") == "sha256:f52fbd32b2b3")
    }

    @Test("inline PEM blocks and URL passwords are redacted wherever they are")
    func contentRules() {
        let pem = TOMLValue.string("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n")
        #expect(policy.redactedText(of: pem, at: KeyPath(keys: "tls", "cert", "inline")) != nil)
        let url = TOMLValue.string("https://admin:s3cr3t@minio:9000/bucket")
        let redacted = policy.redactedText(of: url, at: KeyPath(keys: "aws", "s3_endpoint"))
        #expect(redacted == "https://admin:" + SecretPolicy.fingerprint(of: "s3cr3t") + "@minio:9000/bucket")
        #expect(
            policy.redactedText(of: .string("https://minio:9000"), at: KeyPath(keys: "aws", "s3_endpoint"))
                == nil)
        #expect(SecretPolicy(showSecrets: true).redactedText(of: url, at: KeyPath(keys: "x")) == nil)
    }

    @Test("no output format shows a secret: text and JSON of a changed password")
    func reportsRedact() throws {
        let reference = try Fixtures.parse(
            "[db]\npassword = \"hunter2\"\nurl = \"postgres://u:pw1@h/db\"\n")
        let current = try Fixtures.parse("[db]\npassword = \"hunter3\"\nurl = \"postgres://u:pw2@h/db\"\n")
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
            #expect(output.contains(SecretPolicy.fingerprint(of: "hunter2")))
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
