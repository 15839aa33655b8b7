import Foundation
import NetworkAgreement
import Testing

/// Reading a statement: what kms-drift wrote reads back as it was, and anything else is refused
/// with what is wrong and where.
@Suite("Statement reading")
struct StatementParseTests {
    /// A version 1 statement as `kms-drift statement` writes it (members in their fixed order).
    static let written = """
        {
          "format": "kms-drift.statement/1",
          "network": "zama \\"main\\" é",
          "salt_id": "none",
          "party_id": 3,
          "time": "2026-12-06T20:00:00Z",
          "sequence": 9223372036854775807,
          "chain_head": null,
          "components": {
            "threshold.peers": "sha256:\(String(repeating: "a", count: 64))"
          },
          "values": {
            "threshold.peers": "[]"
          },
          "signature": "ed25519:c2ln"
        }

        """

    /// Why the text is not a statement (the reason of `.malformed`), or nil when it reads.
    static func problem(_ text: String) -> String? {
        switch Statement.parse(Array(text.utf8)) {
        case .success: return nil
        case .failure(.malformed(let reason)): return reason
        case .failure(let problem): return "\(problem)"
        }
    }

    @Test("a statement kms-drift wrote reads back identically, and writes back byte for byte")
    func written() throws {
        let statement = try Statement.parse(Array(Self.written.utf8)).get()
        #expect(
            statement
                == Statement(
                    network: "zama \"main\" é", saltID: "none", partyID: 3, time: "2026-12-06T20:00:00Z",
                    sequence: Int64.max, chainHead: nil,
                    components: ["threshold.peers": "sha256:" + String(repeating: "a", count: 64)],
                    values: ["threshold.peers": "[]"], signature: "ed25519:c2ln"))
        #expect(statement.json() == Self.written)
    }

    @Test(
        "a statement that is not one says what is wrong and where",
        arguments: [
            ("{\n  \"format\": kms\n}", "invalid JSON at 2:13: unexpected character, expected a value"),
            ("[1]", "the top level is not an object"),
            ("{\"format\": \"kms-drift.statement/2\"}", "its format is \"kms-drift.statement/2\""),
            ("{\"format\": \"kms-drift.statement/1\"}", "member \"network\" is missing"),
        ])
    func notAStatement(text: String, expected: String) {
        let problem = Self.problem(text)
        #expect(problem?.contains(expected) == true, "\(String(describing: problem))")
    }

    @Test("a member of the wrong type is named with its position; a float is not an integer")
    func wrongType() {
        let party = Self.written.replacingOccurrences(of: "\"party_id\": 3", with: "\"party_id\": 3.0")
        #expect(
            Self.problem(party)?.contains("member \"party_id\" has the wrong type: a float at 5:15") == true)
        let component = Self.written.replacingOccurrences(
            of: "\"sha256:\(String(repeating: "a", count: 64))\"", with: "7")
        #expect(
            Self.problem(component)?.contains(
                "member \"components.threshold.peers\" has the wrong type: an integer at 10:24")
                == true, "\(String(describing: Self.problem(component)))")
    }

    @Test("a member given twice is refused: a signed statement must not read two ways")
    func repeatedMember() {
        let twice = Self.written.replacingOccurrences(
            of: "\"sequence\": 9223372036854775807,", with: "\"sequence\": 1,\n  \"sequence\": 2,")
        #expect(
            Self.problem(twice)?.contains("invalid JSON at 8:3: the key \"sequence\" is repeated") == true)
    }

    @Test("an unknown member, or a required one absent, is refused by name")
    func members() {
        let renamed = Self.written.replacingOccurrences(of: "\"chain_head\"", with: "\"chainhead\"")
        #expect(Self.problem(renamed)?.contains("member \"chainhead\" that version 1 does not know") == true)
        let noSignature = Self.written.replacingOccurrences(
            of: ",\n  \"signature\": \"ed25519:c2ln\"", with: "")
        #expect(Self.problem(noSignature) == "member \"signature\" is missing")
    }

    @Test("a statement larger than the limit is refused before it is read")
    func tooLarge() {
        let huge = "\"" + String(repeating: "x", count: 1 << 20) + "\""
        #expect(Self.problem(huge) == "it is larger than \(1 << 20) bytes")
    }
}
