import DriftCore
import Testing

@testable import KMSValidation

/// Types, ranges, enum values, variants and unknown keys, straight from the schema table.
@Suite("validate: schema")
struct SchemaValidatorTests {
    typealias F = ValidationFixtures

    @Test("an unknown key gets a did-you-mean from the schema")
    func didYouMean() throws {
        let text = F.minimal.replacing("dec_capacity", with: "dec_capacty")
        let finding = try #require(try F.validate(text).at("threshold.dec_capacty").first)
        #expect(finding.level == .error)
        #expect(finding.fix == "did you mean `dec_capacity`?")
        #expect(finding.location == .init(line: F.line(of: "dec_capacty", in: text)!, column: 1))
    }

    @Test("decryption_mode must be a known value, case-sensitively")
    func enumValue() throws {
        let text = F.minimal.replacing("\"NoiseFloodSmall\"", with: "\"noisefloodsmall\"")
        let finding = try #require(try F.validate(text).at("threshold.decryption_mode").first)
        #expect(finding.fix.contains("\"NoiseFloodSmall\""))
        #expect(finding.location.column == 19)
    }

    @Test("ports must be in 1...65535")
    func portRange() throws {
        let text = F.minimal.replacing("listen_port = 50100", with: "listen_port = 70000")
        #expect(try F.validate(text).at("service.listen_port").first?.location.line == 3)
    }

    // config-rs value.rs:416-431: a string that is not a number or one of the words is refused;
    // value.rs:433: a boolean is 1 or 0.
    @Test("a string config-rs cannot read as an integer is refused when parsed; a boolean is not")
    func typeMismatch() throws {
        let text = F.minimal.replacing("timeout_secs = 360", with: "timeout_secs = \"soon\"")
        let finding = try #require(try F.validate(text).at("service.timeout_secs").first)
        #expect(finding.stage == .parsing)
        #expect(
            finding.message == "refused when parsed: `timeout_secs` = \"soon\" cannot be read as an integer")
        #expect(
            try F.validate(F.minimal.replacing("timeout_secs = 360", with: "timeout_secs = true")).isEmpty)
        let table = F.minimal.replacing("timeout_secs = 360", with: "timeout_secs = { s = 1 }")
        #expect(try F.validate(table).at("service.timeout_secs").first?.stage == .parsing)
    }

    // value.rs:416-434 then conf/mod.rs:119-120 range(min = 1): 0.4 is read as 0.
    @Test("a float for an integer is rounded: a warning, or validation's refusal when it rounds out of range")
    func roundedFloat() throws {
        let rounded = try #require(
            try F.validate(F.minimal.replacing("timeout_secs = 360", with: "timeout_secs = 359.6"))
                .at("service.timeout_secs").first)
        #expect(rounded.level == .warning)
        #expect(rounded.message.contains("config-rs reads it as 360"))
        let zero = try #require(
            try F.validate(F.minimal.replacing("timeout_secs = 360", with: "timeout_secs = 0.4"))
                .at("service.timeout_secs").first)
        #expect(zero.stage == .validation)
    }

    @Test("root_key_spec is symm or asymm")
    func rootKeySpec() throws {
        let text =
            "[aws]\nregion = \"r\"\n" + F.minimal
            + "[private_vault.storage.ram]\n[private_vault.keychain.aws_kms]\nroot_key_id = \"k\"\nroot_key_spec = \"rsa\"\n"
        #expect(try F.validate(text).at("private_vault.keychain.aws_kms.root_key_spec").count == 1)
    }

    @Test("a vault's storage names exactly one variant")
    func oneVariant() throws {
        let two = F.minimal + "[public_vault.storage.file]\npath = \"k\"\n[public_vault.storage.ram]\n"
        let finding = try #require(try F.validate(two).at("public_vault.storage").first)
        #expect(finding.message.contains("2 variants"))
        let none = F.minimal + "[public_vault]\n[public_vault.storage]\n"
        #expect(try F.validate(none).at("public_vault.storage").first?.message.contains("no variant") == true)
    }

    @Test("rate_limiter_conf: all seven buckets or none; unknown keys there are warnings")
    func rateLimiter() throws {
        let text = F.minimal + "[rate_limiter_conf]\nbucket_size = 50000\nreshare = 1\n"
        let findings = try F.validate(text)
        #expect(
            findings.filter { $0.path.keyNames.first == "rate_limiter_conf" && $0.level == .error }.count == 6
        )
        let reshare = try #require(findings.at("rate_limiter_conf.reshare").first)
        #expect(reshare.level == .warning)
        #expect(reshare.fix.contains("new_epoch"))
        #expect(
            findings.at("rate_limiter_conf.pub_decrypt").first?.location.line
                == F.line(of: "[rate_limiter_conf]", in: text))
    }

    @Test("unknown keys in secret_sharing are ignored, so only a warning")
    func secretSharing() throws {
        let text =
            F.minimal + "[backup_vault.storage.ram]\n[backup_vault.keychain.secret_sharing]\nenabled = true\n"
        let findings = try F.validate(text)
        #expect(findings.map(\.level) == [.warning])
    }

    // conf/mod.rs:47 `Option<bool>`; value.rs:237-247 reads "yes" and refuses "maybe".
    @Test("mock_enclave is a boolean as config-rs reads one")
    func mockEnclave() throws {
        #expect(try F.validate("mock_enclave = true\n" + F.minimal).isEmpty)
        #expect(try F.validate("mock_enclave = \"yes\"\n" + F.minimal).isEmpty)
        #expect(try F.validate("mock_enclave = \"maybe\"\n" + F.minimal).errorCount == 1)
    }
}
