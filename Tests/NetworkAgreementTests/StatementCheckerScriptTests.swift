import Foundation
import NetworkAgreement
import TestSupport
import Testing

/// `scripts/statement_v1.py` re-checks the test network's statements from the README's
/// description alone (standard-library Python, its own Ed25519): it agrees with the Swift code on
/// every valid statement and names the broken ones.
@Suite(
    "the independent statement checker", .temporaryDirectory,
    .enabled(if: Probe.hasPythonTomllib, "needs python3 with tomllib (3.11+)"))
struct StatementCheckerScriptTests {
    static let script = TestPaths.packageRoot.appendingPathComponent("scripts/statement_v1.py").path

    @Test("all 13 statements verify; a flipped byte, another party's key and an unsigned one are named")
    func checksTheTestNetwork() throws {
        let network = try TestNetwork(in: try TemporaryDirectory.current())
        for party in Int64(1)...13 {
            let statement = try network.statement(party, sequence: party, withValues: party % 2 == 0)
            try network.directory.write("statements/party\(party).json", statement.json())
        }
        let good = try runProcess(
            "/usr/bin/env",
            ["python3", Self.script, network.keyringPath, network.directory.path("statements")])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(
            good.stdout.split(separator: "\n").filter { $0.hasSuffix(" ok") }.count == 13, "\(good.stdout)")

        var flipped = try network.statement(2).json()
        let range = try #require(flipped.range(of: "\"threshold.threshold\": \"sha256:"))
        let digit = flipped.index(range.upperBound, offsetBy: 5)
        flipped.replaceSubrange(digit...digit, with: flipped[digit] == "a" ? "b" : "a")
        try network.directory.write("bad/flipped.json", flipped)
        try network.directory.write("bad/wrong-key.json", try network.statement(3, signer: 7).json())
        var unsigned = try network.statement(4)
        unsigned.signature = nil
        try network.directory.write("bad/unsigned.json", unsigned.json())
        var value = try network.statement(5, withValues: true).json()
        value = value.replacingOccurrences(
            of: "\"threshold.threshold\": \"4\"", with: "\"threshold.threshold\": \"5\"")
        try network.directory.write("bad/value.json", value)
        // A member given twice: refused by both readers, so they cannot read it two ways.
        let repeated = try network.statement(6).json().replacingOccurrences(
            of: "\"sequence\": 1,", with: "\"sequence\": 1,\n  \"sequence\": 1,")
        try network.directory.write("bad/repeated.json", repeated)
        guard case .failure(.malformed) = Statement.parse(Array(repeated.utf8)) else {
            Issue.record("a statement with a repeated member was read")
            return
        }
        let bad = try runProcess(
            "/usr/bin/env", ["python3", Self.script, network.keyringPath, network.directory.path("bad")])
        #expect(bad.status == 1)
        let lines = bad.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains { $0.contains("flipped.json") && $0.contains("BAD: bad signature") },
            "\(bad.stdout)")
        #expect(lines.contains { $0.contains("wrong-key.json") && $0.contains("wrong key (party 7's)") })
        #expect(lines.contains { $0.contains("unsigned.json") && $0.contains("BAD: unsigned") })
        #expect(lines.contains { $0.contains("value.json") && $0.contains("BAD:") })
        #expect(
            lines.contains { $0.contains("repeated.json") && $0.contains("BAD: not a statement") },
            "\(bad.stdout)")
    }
}
