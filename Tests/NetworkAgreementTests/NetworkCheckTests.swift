import Foundation
import NetworkAgreement
import TestSupport
import Testing

/// The test network: 13 generated parties, checked by majority.
@Suite("network check over 13 parties", .temporaryDirectory)
struct NetworkCheckTests {
    @Test("all 13 statements agree: every party agrees, exit 0")
    func allAgree() throws {
        let network = try TestNetwork(in: try TemporaryDirectory.current())
        let inputs = try (1...13).map {
            TestNetwork.input(try network.statement(Int64($0)), source: "p\($0).json")
        }
        let (report, state) = try network.check().run(inputs, reference: .majority, state: SequenceState())
        #expect(report.exitStatus == 0)
        #expect(report.parties.map(\.state) == Array(repeating: .agree, count: 13))
        #expect(state.seen.count == 13)
        #expect(NetworkReportRenderer.text(report).contains("13 agree"))
    }

    @Test(
        "a changed peer address, a different threshold, another certificate for party 7: exactly those named")
    func threeDisagreements() throws {
        let network = try TestNetwork(in: try TemporaryDirectory.current())
        try network.edit(5) {
            $0.replacingOccurrences(
                of: "address = \"party7.kms-production.example.org\"", with: "address = \"10.0.0.7\"")
        }
        try network.edit(9) { $0.replacingOccurrences(of: "threshold = 4", with: "threshold = 3") }
        try network.directory.write("party11/certs/cert_p7.pem", TestNetwork.certificate(seed: 777))
        let inputs = try (1...13).map {
            TestNetwork.input(try network.statement(Int64($0), withValues: $0 == 9), source: "p\($0).json")
        }
        let (report, _) = try network.check().run(inputs, reference: .majority, state: SequenceState())
        let differing = report.parties.filter { $0.state == .differ }
        #expect(differing.map(\.partyID) == [5, 9, 11])
        #expect(report.parties.filter { $0.state == .agree }.count == 10)
        let components = Dictionary(
            uniqueKeysWithValues: differing.map { ($0.partyID, $0.differences.map(\.component)) })
        #expect(components[5] == ["threshold.peers[party_id=7].address"])
        #expect(components[9] == ["threshold.threshold"])
        #expect(components[11] == ["threshold.peers[party_id=7].tls_cert"])
        #expect(report.exitStatus == 1)
        let text = NetworkReportRenderer.text(report)
        #expect(text.contains("party 5 differs on `threshold.peers[party_id=7].address`"))
        #expect(text.contains("party 11 differs on `threshold.peers[party_id=7].tls_cert`"))
        // Only party 9 published values; the majority's value is known only when one of them did.
        let threshold = try #require(differing.first { $0.partyID == 9 }?.differences.first)
        #expect(threshold.value == "3")
    }

    @Test("with values on both sides the report says what each side has")
    func valuesShown() throws {
        let network = try TestNetwork(in: try TemporaryDirectory.current(), parties: 4, threshold: 1)
        try network.edit(2) { $0.replacingOccurrences(of: "threshold = 1", with: "threshold = 2") }
        let inputs = try (1...4).map {
            TestNetwork.input(try network.statement(Int64($0), withValues: true), source: "p\($0).json")
        }
        let (report, _) = try network.check().run(inputs, reference: .party(1), state: SequenceState())
        let text = NetworkReportRenderer.text(report)
        #expect(text.contains("party 2 differs on `threshold.threshold`: 2 (party 1: 1)"), "\(text)")
    }

    @Test("flipped byte, another party's key, too old, replayed, missing: each named, none agrees")
    func invalidStatements() throws {
        let network = try TestNetwork(in: try TemporaryDirectory.current())
        var seen = SequenceState()
        seen.seen[6] = .init(sequence: 10, signature: "0")
        var inputs: [NetworkCheck.Input] = []
        for party in Int64(1)...13 {
            switch party {
            case 2:
                // One hex digit of one digest changed: still JSON, no longer what party 2 signed.
                var text = try network.statement(2).json()
                let range = try #require(text.range(of: "\"threshold.threshold\": \"sha256:"))
                let digit = text.index(range.upperBound, offsetBy: 3)
                text.replaceSubrange(digit...digit, with: text[digit] == "0" ? "1" : "0")
                inputs.append(.init(source: "p2.json", bytes: .success(Array(text.utf8))))
            case 3: inputs.append(TestNetwork.input(try network.statement(3, signer: 4), source: "p3.json"))
            case 4:
                inputs.append(
                    TestNetwork.input(
                        try network.statement(4, time: TestNetwork.now - 72 * 3600), source: "p4.json"))
            case 6: inputs.append(TestNetwork.input(try network.statement(6, sequence: 5), source: "p6.json"))
            case 8: continue
            default:
                inputs.append(
                    TestNetwork.input(try network.statement(party, sequence: 11), source: "p\(party).json"))
            }
        }
        let (report, _) = try network.check().run(inputs, reference: .majority, state: seen)
        func party(_ id: Int64) -> NetworkReport.Party { report.parties[Int(id) - 1] }
        #expect(party(2).state == .invalid)
        #expect(party(2).rejected.map(\.problem) == [.badSignature])
        #expect(party(3).state == .invalid)
        #expect(party(3).rejected.map(\.problem) == [.wrongKey(signer: 4)])
        #expect(party(4).state == .stale)
        #expect(party(6).state == .invalid)
        #expect(party(6).rejected.map(\.problem) == [.replayed(sequence: 5, lastSeen: 10)])
        #expect(party(8).state == .missing)
        #expect(report.parties.filter { $0.state == .agree }.map(\.partyID) == [1, 5, 7, 9, 10, 11, 12, 13])
        #expect(report.exitStatus == 1)
        let text = NetworkReportRenderer.text(report)
        for expected in [
            "party 2: p2.json: bad signature", "party 3: p3.json: signed by the wrong key: party 4's",
            "party 4 is stale", "party 6: p6.json: replayed: sequence 5 is not above 10",
            "party 8 is missing",
        ] {
            #expect(text.contains(expected), "\(expected) not in \(text)")
        }
        let json = NetworkReportRenderer.json(report)
        #expect(json.contains("\"problem\": \"wrong-key\""))
    }

    @Test("an unsigned statement, one dated an hour ahead, one for a party the keyring does not pin: named")
    func unsignedAndUnknown() throws {
        let network = try TestNetwork(in: try TemporaryDirectory.current(), parties: 4, threshold: 1)
        var unsigned = try network.statement(1)
        unsigned.signature = nil
        var stranger = try network.statement(2)
        stranger.partyID = 99
        let inputs = [
            TestNetwork.input(unsigned, source: "p1.json"), TestNetwork.input(stranger, source: "p99.json"),
            TestNetwork.input(try network.statement(3), source: "p3.json"),
            TestNetwork.input(try network.statement(4, time: TestNetwork.now + 3600), source: "p4.json"),
            .init(source: "junk.json", bytes: .success(Array("{\"format\":1}".utf8))),
        ]
        let (report, _) = try network.check().run(inputs, reference: .majority, state: SequenceState())
        #expect(report.parties[0].rejected.map(\.problem) == [.unsigned])
        #expect(report.parties[3].rejected.map(\.problem) == [.future(seconds: 3600)])
        #expect(report.unattributed.map(\.problem.code) == ["unknown-party", "malformed"])
        #expect(report.parties.map(\.state) == [.invalid, .missing, .agree, .invalid])
    }

    @Test("every flipped bit of a statement is caught: it never counts as agreeing")
    func everyFlip() throws {
        let network = try TestNetwork(in: try TemporaryDirectory.current(), parties: 4, threshold: 1)
        let others = try (2...4).map {
            TestNetwork.input(try network.statement(Int64($0)), source: "p\($0).json")
        }
        let bytes = Array(try network.statement(1, withValues: true).json().utf8)
        let check = network.check()
        for position in stride(from: 0, to: bytes.count, by: 19) {
            for bit in [0, 5] {
                var flipped = bytes
                flipped[position] ^= UInt8(1 << bit)
                let (report, _) = try check.run(
                    others + [.init(source: "p1.json", bytes: .success(flipped))], reference: .majority,
                    state: SequenceState())
                #expect(report.parties[0].state != .agree, "flip at \(position) bit \(bit) was accepted")
                #expect(report.exitStatus == 1)
            }
        }
    }

    @Test("the replay state: a statement seen again is fine, a lower number after a higher one is not")
    func replayAcrossChecks() throws {
        let network = try TestNetwork(in: try TemporaryDirectory.current(), parties: 4, threshold: 1)
        let first = try (1...4).map {
            TestNetwork.input(try network.statement(Int64($0), sequence: 3), source: "p\($0).json")
        }
        let (_, state) = try network.check().run(first, reference: .majority, state: SequenceState())
        let (again, stateAgain) = try network.check().run(first, reference: .majority, state: state)
        #expect(again.exitStatus == 0)
        #expect(stateAgain == state)
        let reparsed = try SequenceState.parse(
            state.text.replacingOccurrences(of: "\n", with: "\r\n"), source: "s")
        #expect(reparsed == state)
        var replay = first
        replay[1] = TestNetwork.input(try network.statement(2, sequence: 2), source: "p2.json")
        let (report, _) = try network.check().run(replay, reference: .majority, state: reparsed)
        #expect(report.parties[1].rejected.map(\.problem) == [.replayed(sequence: 2, lastSeen: 3)])
        // The same number with another signature is a replay too (a re-signed old statement).
        replay[1] = TestNetwork.input(
            try network.statement(2, sequence: 3, time: TestNetwork.now - 60), source: "p2.json")
        let (same, _) = try network.check().run(replay, reference: .majority, state: reparsed)
        #expect(same.parties[1].state == .invalid)
    }
}
