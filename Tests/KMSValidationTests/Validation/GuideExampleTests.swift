import DriftCore
import TestSupport
import Testing

@testable import KMSValidation

/// The operators' guide's example configuration (as `gen_workload.py party --style guide`
/// writes it) uses names kms-server refuses; each must be reported, on its line, with the
/// real name to use.
@Suite("validate: the operators' guide example")
struct GuideExampleTests {
    static let production: String = {
        (try? WorkloadGenerator.text(["party", "--style", "guide"])) ?? ""
    }()

    static let findings: [Finding] =
        (try? ValidationFixtures.validate(production, environment: .production)) ?? []

    /// (key path, text on the reported line, words the fix must contain, level)
    static let expected: [(String, String, String, Finding.Level)] = [
        ("service.tls_cert_path", "tls_cert_path =", "[threshold.tls.manual]", .error),
        ("service.tls_key_path", "tls_key_path =", "`key.path` in [threshold.tls.manual]", .error),
        ("service.max_request_size", "max_request_size =", "grpc_max_message_size", .error),
        ("service.request_timeout_secs", "request_timeout_secs =", "`timeout_secs`", .error),
        ("service.timeout_secs", "[service]", "add `timeout_secs`", .error),
        ("service.grpc_max_message_size", "[service]", "add `grpc_max_message_size`", .error),
        ("threshold.decryption_mode", "[threshold]", "NoiseFloodSmall", .error),
        ("threshold.dec_capacity", "[threshold]", "add `dec_capacity`", .error),
        ("threshold.min_dec_cache", "[threshold]", "add `min_dec_cache`", .error),
        (
            "threshold.peers[party_id=1].tls_cert", "tls_cert = \"/app/certs/peer1.crt\"", "tls_cert.path = ",
            .error
        ),
        (
            "private_vault.storage.S3", "S3 = { bucket = \"kms-production-private\"",
            "[private_vault.storage.s3]", .error
        ),
        ("private_vault.storage.S3.region", "S3 = { bucket = \"kms-production-private\"", "[aws]", .error),
        (
            "private_vault.storage.S3.encryption", "S3 = { bucket = \"kms-production-private\"",
            "keychain.aws_kms", .error
        ),
        (
            "public_vault.storage.S3", "S3 = { bucket = \"kms-production-public\"", "put the region in [aws]",
            .error
        ),
        ("telemetry.batch.max_export_timeout_millis", "max_export_timeout_millis", "ignores it", .warning),
        ("threshold.tls", "[threshold]", "[threshold.tls.manual]", .error),
    ]

    @Test("the generator produced the guide example")
    func generated() {
        #expect(Self.production.contains("tls_cert_path"))
    }

    @Test("each documented-but-wrong name is reported on its line with the real name", arguments: expected)
    func finding(path: String, lineText: String, fix: String, level: Finding.Level) throws {
        let matches = Self.findings.at(path)
        let finding = try #require(matches.first, "no finding at \(path)")
        #expect(finding.level == level)
        #expect(finding.location.line == ValidationFixtures.line(of: lineText, in: Self.production))
        #expect(finding.fix.contains(fix), "fix was: \(finding.fix)")
    }

    @Test("S3 vaults without [aws] are reported")
    func awsMissing() {
        #expect(Self.findings.at("aws.region").count == 2)
    }

    @Test("every peer's string tls_cert is reported")
    func everyPeer() {
        #expect(Self.findings.filter { $0.path.lastKey == "tls_cert" }.count == 13)
    }

    @Test("the guide's File = {…} variant, written over several lines (TOML 1.1), is reported")
    func capitalisedFileVariant() throws {
        let text =
            ValidationFixtures.minimal + """
                [private_vault.storage]
                File = {
                  path = "./keys/PRIV-p1",
                }

                """
        let findings = try ValidationFixtures.validate(text)
        let finding = try #require(findings.at("private_vault.storage.File").first)
        #expect(finding.location.line == ValidationFixtures.line(of: "File = {", in: text))
        #expect(finding.fix.contains("[private_vault.storage.file]"))
        // Counted as the variant it means: no second "names no variant" error.
        #expect(findings.at("private_vault.storage").isEmpty)
        #expect(findings.errorCount == 1)
    }
}
