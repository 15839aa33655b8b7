import Testing

@testable import DriftCore

/// The cross-key rules, each asserted by key path and line on a small config.
@Suite("validate: threshold rules")
struct ThresholdRulesTests {
    typealias F = ValidationFixtures

    @Test("the minimal config is clean")
    func minimalIsClean() throws {
        #expect(try F.validate(F.minimal).isEmpty)
    }

    @Test("peers must number 3t+1")
    func peerCount() throws {
        let text = F.minimal.replacing("threshold = 1", with: "threshold = 2")
        let finding = try #require(try F.validate(text).at("threshold.threshold").first)
        #expect(finding.level == .error)
        #expect(finding.location.line == F.line(of: "threshold = 2", in: text))
        #expect(finding.message.contains("7 peers"))
    }

    @Test("a duplicated party_id is reported on the second one")
    func duplicatePartyID() throws {
        let text = F.minimal.replacing("party_id = 4", with: "party_id = 3")
        let findings = try F.validate(text).at("threshold.peers[party_id=3].party_id")
        #expect(findings.contains { $0.message.contains("listed twice") && $0.location.line == 32 })
    }

    @Test("party_id must be within 1...n")
    func partyIDRange() throws {
        let text = F.minimal.replacing("party_id = 4", with: "party_id = 5")
        let finding = try #require(try F.validate(text).at("threshold.peers[party_id=5].party_id").first)
        #expect(finding.location.line == F.line(of: "party_id = 5", in: text))
    }

    @Test("my_id must be one of the peers")
    func myIDAmongPeers() throws {
        let text = F.minimal.replacing("my_id = 1", with: "my_id = 9")
        let finding = try #require(try F.validate(text).at("threshold.my_id").first)
        #expect(finding.location.line == F.line(of: "my_id = 9", in: text))
    }

    @Test("service and threshold ports must differ")
    func portClash() throws {
        let text = F.minimal.replacing("listen_port = 50001", with: "listen_port = 50100")
        let finding = try #require(try F.validate(text).at("threshold.listen_port").first)
        #expect(finding.location.line == F.line(of: "[threshold]", in: text)! + 2)
    }

    @Test("min_dec_cache must not exceed dec_capacity")
    func decryptionCache() throws {
        let text = F.minimal.replacing("min_dec_cache = 6000", with: "min_dec_cache = 20000")
        let finding = try #require(try F.validate(text).at("threshold.min_dec_cache").first)
        #expect(finding.location.line == F.line(of: "min_dec_cache", in: text))
    }

    @Test("S3 storage and an aws_kms keychain need [aws]")
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
        #expect(
            findings.map(\.location.line).sorted() == [
                F.line(of: "storage.s3]", in: text)!, F.line(of: "aws_kms]", in: text)!,
            ])
        #expect(try F.validate("[aws]\nregion = \"eu-west-1\"\n" + text).at("aws.region").isEmpty)
    }

    @Test("with TLS on, every peer needs tls_cert")
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

    @Test("a storage prefix must not start with another vault type's name")
    func prefixSafety() throws {
        let text = F.minimal + "[public_vault.storage.file]\npath = \"./keys\"\nprefix = \"PRIV-p1\"\n"
        let finding = try #require(try F.validate(text).at("public_vault.storage.file.prefix").first)
        #expect(finding.location.line == F.line(of: "prefix = \"PRIV-p1\"", in: text))
        #expect(try F.validate(text.replacing("PRIV-p1", with: "PUB-p1")).isEmpty)
    }
}
