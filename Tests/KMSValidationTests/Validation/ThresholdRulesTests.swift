import DriftCore
import Testing

@testable import KMSValidation

/// The cross-key rules, each asserted by key path and line on a small config.
@Suite("validate: threshold rules")
struct ThresholdRulesTests {
    typealias F = ValidationFixtures

    @Test("the minimal config is clean")
    func minimalIsClean() throws {
        #expect(try F.validate(F.minimal).isEmpty)
    }

    // conf/threshold.rs:56-60: validate() refuses 3t+1 != n.
    @Test("peers must number 3t+1: refused by validation")
    func peerCount() throws {
        let text = F.minimal.replacing("threshold = 1", with: "threshold = 2")
        let finding = try #require(try F.validate(text).at("threshold.threshold").first)
        #expect(finding.level == .error)
        #expect(finding.stage == .validation)
        #expect(finding.location.line == F.line(of: "threshold = 2", in: text))
        #expect(finding.message.contains("7 peers"))
    }

    // conf/threshold.rs:51-86 never compares party ids with each other, but context.rs:497-505
    // (ContextInfo::verify) refuses the default context built from them: the server starts with no
    // MPC context (context_manager.rs:946, :965; kms_impl.rs:758-763).
    @Test(
        "a duplicated party_id is an error on the second one: the server starts degraded, serving no MPC request"
    )
    func duplicatePartyID() throws {
        let text = F.minimal.replacing("party_id = 4", with: "party_id = 3")
        let findings = try F.validate(text).at("threshold.peers[party_id=3].party_id")
        let finding = try #require(findings.first { $0.message.contains("listed twice") })
        #expect(finding.location.line == 32)
        #expect(finding.level == .error)
        #expect(finding.stage == .degraded)
        #expect(finding.rule == "duplicate-party-id")
        #expect(
            finding.message.hasPrefix(
                "the server starts in degraded mode (recovery operations only) and serves no MPC request: "))
        #expect(finding.message.contains("Duplicate party_ids found in context"))
        #expect(finding.message.contains("no peer is party 4"))
    }

    // conf/threshold.rs:70-81 refuses party_id > n; threshold.rs:227-228 range(min = 1) refuses 0.
    @Test("party_id must be within 1...n: refused by validation")
    func partyIDRange() throws {
        let text = F.minimal.replacing("party_id = 4", with: "party_id = 5")
        let finding = try #require(try F.validate(text).at("threshold.peers[party_id=5].party_id").first)
        #expect(finding.location.line == F.line(of: "party_id = 5", in: text))
        #expect(finding.stage == .validation)
        let zero = F.minimal.replacing("party_id = 4", with: "party_id = 0")
        #expect(try F.validate(zero).at("threshold.peers[party_id=0].party_id").first?.stage == .validation)
    }

    // conf/threshold.rs:61-69: my_id > n is only a tracing::warn!.
    @Test("my_id outside the peers is a warning")
    func myIDAmongPeers() throws {
        let text = F.minimal.replacing("my_id = 1", with: "my_id = 9")
        let finding = try #require(try F.validate(text).at("threshold.my_id").first)
        #expect(finding.location.line == F.line(of: "my_id = 9", in: text))
        #expect(finding.level == .warning)
    }

    // kms-server.rs:597-599 then 107-109: the MPC listener panics when the port is taken.
    @Test("service and threshold ports on the same wildcard address fail at start-up")
    func portClash() throws {
        let text = F.minimal.replacing("listen_port = 50001", with: "listen_port = 50100")
        let finding = try #require(try F.validate(text).at("threshold.listen_port").first)
        #expect(finding.location.line == F.line(of: "[threshold]", in: text)! + 2)
        #expect(
            finding.stage
                == .startUp(
                    "the MPC listener cannot bind 0.0.0.0:50100: the service listener holds 0.0.0.0:50100 (\"Could not bind\" panic)"
                ))
        let named = text.replacing(
            "listen_address = \"0.0.0.0\"\nlisten_port = 50100\nmy_id",
            with: "listen_address = \"kms-p1\"\nlisten_port = 50100\nmy_id")
        #expect(try F.validate(named).at("threshold.listen_port").first?.level == .warning)
    }

    // Never checked by kms-server (conf/threshold.rs:39-40): a warning.
    @Test("min_dec_cache not below dec_capacity is a warning")
    func decryptionCache() throws {
        let text = F.minimal.replacing("min_dec_cache = 6000", with: "min_dec_cache = 20000")
        let finding = try #require(try F.validate(text).at("threshold.min_dec_cache").first)
        #expect(finding.location.line == F.line(of: "min_dec_cache", in: text))
        #expect(finding.level == .warning)
    }

    // kms-server.rs:405-410 and 433-438 `expect("AWS configuration must be provided")`.
    @Test("S3 storage and a private aws_kms keychain need [aws]: start-up panics")
    func awsNeeded() throws {
        let text =
            F.minimal + """
                [private_vault.storage.s3]
                bucket = "b"
                [private_vault.keychain.aws_kms]
                root_key_id = "k"
                root_key_spec = "symm"

                """
        let findings = try F.validate(text).at("aws.region")
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { $0.message.hasPrefix("fails at start-up: ") })
        #expect(
            findings.map(\.location.line).sorted() == [
                F.line(of: "storage.s3]", in: text)!, F.line(of: "aws_kms]", in: text)!,
            ])
        #expect(try F.validate("[aws]\nregion = \"eu-west-1\"\n" + text).at("aws.region").isEmpty)
    }

    // kms-server.rs:156-166 panics "No CA certificate present for peer N".
    @Test("with TLS on, every peer needs tls_cert: start-up panics")
    func tlsPerPeer() throws {
        let text = F.minimal.replacing(
            "[[threshold.peers]]\nparty_id = 1",
            with:
                "[threshold.tls.manual]\ncert.path = \"c.pem\"\nkey.path = \"k.pem\"\n\n[[threshold.peers]]\nparty_id = 1"
        )
        let findings = try F.validate(text)
        #expect(findings.filter { $0.path.lastKey == "tls_cert" }.count == 4)
        let first = try #require(findings.at("threshold.peers[party_id=1].tls_cert").first)
        #expect(first.location.line == F.line(of: "party_id = 1", in: text)! - 1)
    }

    // vault/mod.rs:552-591 storage_prefix_safety, called when the storage is made at start-up.
    @Test("a storage prefix must not start with another vault type's name: start-up fails")
    func prefixSafety() throws {
        let text = F.minimal + "[public_vault.storage.file]\npath = \"./keys\"\nprefix = \"PRIV-p1\"\n"
        let finding = try #require(try F.validate(text).at("public_vault.storage.file.prefix").first)
        #expect(finding.stage?.name == "start-up")
        #expect(finding.location.line == F.line(of: "prefix = \"PRIV-p1\"", in: text))
        #expect(try F.validate(text.replacing("PRIV-p1", with: "PUB-p1")).isEmpty)
    }
}
