import DriftCore
import Testing

@testable import KMSValidation

/// What fails, or goes wrong, after a config parsed and validated: kms-server's `main_exec`
/// (`shared/research/kms-source/core__service__src__bin__kms-server.rs`).
@Suite("validate: start-up rules")
struct StartUpRulesTests {
    typealias F = ValidationFixtures

    static let tls =
        "[threshold.tls.manual]\ncert.path = \"c.pem\"\nkey.path = \"k.pem\"\n\n[[threshold.peers]]\nparty_id = 1"

    // observability telemetry.rs:124-128: `.parse::<SocketAddr>()` then `?` out of init_telemetry.
    @Test(
        "metrics_bind_address must be an IP literal and a port",
        arguments: [
            ("localhost:9646", true), ("0.0.0.0", true), ("0.0.0.0:9646", false), ("[::]:9646", false),
        ])
    func metricsAddress(address: String, fails: Bool) throws {
        let text = F.minimal + "[telemetry]\nmetrics_bind_address = \"\(address)\"\n"
        let finding = try F.validate(text).at("telemetry.metrics_bind_address").first
        #expect((finding != nil) == fails)
        if fails {
            #expect(
                finding?.message.hasPrefix("fails at start-up: \"Failed to parse metrics bind address\"")
                    == true)
        }
    }

    // kms-server.rs:469-476: the public vault never gets a keychain, with or without [aws].
    @Test("a public-vault keychain is a warning even with [aws]")
    func publicKeychain() throws {
        let text =
            "[aws]\nregion = \"r\"\n" + F.minimal
            + "[public_vault.storage.ram]\n[public_vault.keychain.secret_sharing]\n"
        let finding = try #require(try F.validate(text).at("public_vault.keychain").first)
        #expect(finding.level == .warning)
    }

    // kms-server.rs:423-438: the backup vault's aws_kms keychain needs the AWS KMS client.
    @Test("a backup-vault aws_kms keychain without [aws] fails at start-up")
    func backupKeychain() throws {
        let text =
            F.minimal
            + "[backup_vault.storage.ram]\n[backup_vault.keychain.aws_kms]\nroot_key_id = \"k\"\nroot_key_spec = \"asymm\"\n"
        let finding = try #require(try F.validate(text).at("aws.region").first)
        #expect(finding.message.contains("AWS KMS client for [backup_vault.keychain.aws_kms] panics"))
    }

    // threshold.rs:148-151: `parse_x509_pem` of a PEM without a PEM block fails when TLS is built.
    @Test("a TLS key PEM without a PEM block fails at start-up")
    func pemWithoutBlock() throws {
        let text = F.minimal.replacing(
            "[[threshold.peers]]\nparty_id = 1",
            with: Self.tls.replacing("key.path = \"k.pem\"", with: "key.pem = \"REDACTED\""))
        let findings = try F.validate(text)
        let finding = try #require(findings.at("threshold.tls.manual.key.pem").first)
        #expect(finding.stage?.name == "start-up")
        #expect(finding.message.contains("no \"-----BEGIN\" block"))
    }

    // kms-server.rs:649-669: without [threshold.tls] no certificate is read.
    @Test("an empty peer certificate path while TLS is off is a warning")
    func peerCertificateWithoutTLS() throws {
        let text = F.minimal.replacing("address = \"p2\"", with: "address = \"p2\"\ntls_cert.path = \"\"")
        let finding = try #require(try F.validate(text).at("threshold.peers[party_id=2].tls_cert.path").first)
        #expect(finding.level == .warning)
        #expect(finding.message.contains("once TLS is on"))
    }

    // The rules read values as config-rs converts them: "50100" is the port 50100.
    @Test("the port clash is found on ports written as strings")
    func convertedPorts() throws {
        let text = F.minimal.replacing("listen_port = 50001", with: "listen_port = \"50100\"")
        #expect(try F.validate(text).at("threshold.listen_port").first?.stage?.name == "start-up")
    }
}
