import DriftCore
import TestSupport
import Testing

@testable import KMSValidation

/// One line per party: equal for the 13 generated parties, changed by any shared value,
/// unchanged by party-local values.
@Suite("fingerprint")
struct NetworkFingerprintTests {
    static func fingerprint(_ text: String) throws -> String {
        NetworkFingerprint.fingerprint(of: try parseTOML(text))
    }

    @Test("the 13 generated parties have the same fingerprint")
    func generatedNetwork() throws {
        let prints = try Set(PartyWorkload.configs.map(Self.fingerprint))
        #expect(prints.count == 1)
        let print = try #require(prints.first)
        #expect(print.hasPrefix("sha256:"))
        #expect(print.count == 7 + 64)
    }

    static let sharedChanges: [(String, String)] = [
        ("threshold = 4", "threshold = 3"),
        ("decryption_mode = \"NoiseFloodSmall\"", "decryption_mode = \"NoiseFloodLarge\""),
        ("preproc = 25000", "preproc = 50000"),
        ("\nport = 50001\n", "\nport = 50002\n"),
        ("address = \"party2.", "address = \"party2b."),
    ]

    @Test("changing a shared value changes it", arguments: sharedChanges)
    func sharedChange(old: String, new: String) throws {
        let base = PartyWorkload.configs[0]
        let changed = PartyWorkload.replacing(old, with: new, after: "[threshold]", in: base)
        #expect(changed != base)
        #expect(try Self.fingerprint(changed) != Self.fingerprint(base))
    }

    static let localChanges: [(String, String)] = [
        ("my_id = 1", "my_id = 2"),
        ("prefix = \"PRIV-p1\"", "prefix = \"PRIV-node1\""),
        ("tracing_service_name = \"kms-production-party1\"", "tracing_service_name = \"kms-prod-1\""),
        ("listen_port = 50100", "listen_port = 50200"),
        ("\ncert.path = \"certs/cert_p1.pem\"", "\ncert.path = \"/etc/kms/cert.pem\""),
    ]

    @Test("changing a party-local value does not", arguments: localChanges)
    func localChange(old: String, new: String) throws {
        let base = PartyWorkload.configs[0]
        let changed = base.replacing(old, with: new)
        #expect(changed != base, "\(old) not found in the generated config")
        #expect(try Self.fingerprint(changed) == Self.fingerprint(base))
    }

    @Test("spelling, order and comments do not change it")
    func spelling() throws {
        let base = PartyWorkload.configs[0]
        let respelled =
            "# comment\n"
            + base.replacing("preproc = 25000", with: "preproc = 25_000")
            .replacing("decryption_mode = \"NoiseFloodSmall\"", with: "decryption_mode = 'NoiseFloodSmall'")
        #expect(try Self.fingerprint(respelled) == Self.fingerprint(base))
    }

    @Test("the canonical text lists peers by party_id, one value per line")
    func canonicalText() throws {
        let text = NetworkFingerprint.canonicalText(of: try parseTOML(PartyWorkload.configs[0]))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "kms-drift network fingerprint v1")
        #expect(lines[1] == "threshold.threshold=4")
        #expect(lines[2] == "threshold.decryption_mode=\"NoiseFloodSmall\"")
        let peerTwo = try #require(lines.firstIndex { $0.hasPrefix("threshold.peers[party_id=2].") })
        let peerTen = try #require(lines.firstIndex { $0.hasPrefix("threshold.peers[party_id=10].") })
        #expect(peerTwo < peerTen)
        #expect(!text.contains("my_id"))
    }
}
