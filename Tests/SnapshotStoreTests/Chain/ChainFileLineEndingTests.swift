import FileSystem
import Foundation
import SigningKeys
import TestSupport
import Testing

@testable import SnapshotStore

/// Witness files and PEM key files read the same with CRLF, LF and no final newline.
@Suite("chain witness and key files: CRLF, LF and no final newline", .temporaryDirectory)
struct ChainFileLineEndingTests {
    @Test("witness lines keep their numbers and heads", arguments: ["\n", "\r\n"], [true, false])
    func witnesses(ending: String, finalNewline: Bool) {
        let first = String(repeating: "ab", count: 32)
        let second = String(repeating: "cd", count: 32)
        let text =
            [
                "Nov 30 node kms-drift[1]: snapshot=1 chain=sha256:\(first) msg=\"snapshot recorded\"",
                "noise",
                "sha256:\(second)",
            ].joined(separator: ending) + (finalNewline ? ending : "")
        let witnesses = ChainWitness.parseFile(text, name: "journal.txt")
        #expect(witnesses.map(\.source) == ["journal.txt:1", "journal.txt:3"])
        #expect(witnesses.map(\.chainHash.hex) == [first, second])
        #expect(witnesses.map(\.snapshot) == [SnapshotID(1), nil])
    }

    @Test("a public key file with CRLF endings loads", arguments: ["\n", "\r\n"], [true, false])
    func publicKey(ending: String, finalNewline: Bool) throws {
        let temp = try TemporaryDirectory.current()
        let key = ChainSigningKey()
        var pem = TextLines.lines(of: key.publicKey.pemRepresentation).joined(separator: ending)
        if finalNewline { pem += ending }
        try temp.write("signing.key.pub", pem)
        #expect(try ChainPublicKey.load(path: temp.path("signing.key.pub")) == key.publicKey)
    }
}
