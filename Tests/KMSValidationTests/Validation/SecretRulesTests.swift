import DriftCore
import Testing

@testable import KMSValidation

/// Secrets in the config file: what a `grep` secret scan of config/** looked for, judged by
/// meaning, and never printed.
@Suite("validate: secrets written in the config")
struct SecretRulesTests {
    typealias F = ValidationFixtures

    static let privateKey =
        "-----BEGIN PRIVATE KEY-----\\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\\n-----END PRIVATE KEY-----\\n"

    @Test("an inline private key: a warning, an error under the production policy; the value is never shown")
    func inlinePrivateKey() throws {
        let text =
            F.minimal + "\n[threshold.tls.manual]\ncert.path = \"c.pem\"\nkey.pem = \"\(Self.privateKey)\"\n"
        let plain = try #require(try F.validate(text).first { $0.rule == "secret-in-config" })
        #expect(plain.level == .warning)
        #expect(plain.path.description == "threshold.tls.manual.key.pem")
        #expect(plain.message.hasPrefix("a private key is written in the config file"))
        #expect(!plain.message.contains("MIGHAgEA") && !plain.fix.contains("MIGHAgEA"))
        let production = try F.validate(text, environment: .production).filter {
            $0.rule == "secret-in-config"
        }
        #expect(production.map(\.level) == [.error])
    }

    @Test(
        "a password in a URL and an AWS access key id are secrets; a certificate PEM and a plain URL are not")
    func kinds() {
        #expect(
            SecretRules.secret("https://kms:hunter2@s3.example/x", at: KeyPath(keys: "aws", "s3_endpoint"))
                == "a password in a URL")
        #expect(
            SecretRules.secret("AKIAIOSFODNN7EXAMPLE", at: KeyPath(keys: "aws", "note"))
                == "an AWS access key id")
        #expect(
            SecretRules.secret(
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", at: KeyPath(keys: "x", "pem"))
                == nil)
        #expect(SecretRules.secret("https://s3.example/x", at: KeyPath(keys: "aws", "s3_endpoint")) == nil)
        #expect(SecretRules.secret("", at: KeyPath(keys: "vault", "password")) == nil)
        #expect(SecretRules.secret("s3cret", at: KeyPath(keys: "vault", "password")) == "a secret value")
    }
}
