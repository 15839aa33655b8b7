import Testing

@testable import Age

/// Recipients and identity files read the same with CRLF, LF and no final newline.
@Suite("age key files: CRLF, LF and no final newline")
struct KeyFileLineEndingTests {
    @Test("recipients and identities, whatever the ending", arguments: ["\n", "\r\n"], [true, false])
    func keys(ending: String, finalNewline: Bool) throws {
        let first = AgeIdentity()
        let second = AgeIdentity()
        let identities =
            ["# created: 2026-12-06", "# public key: \(first.recipient)", first.encoded, "", second.encoded]
            .joined(separator: ending) + (finalNewline ? ending : "")
        let parsed = try AgeIdentity.parseFile(identities, source: "key.txt")
        #expect(
            parsed.map(\.recipient.description) == [first.recipient, second.recipient].map(\.description))

        let recipients =
            ["# team", first.recipient.description, second.recipient.description].joined(separator: ending)
            + (finalNewline ? ending : "")
        let read = try AgeRecipient.parseFile(recipients, source: "recipients.txt")
        #expect(read.map(\.description) == [first.recipient, second.recipient].map(\.description))
    }

    @Test("a bad identity line is named by the same number with CRLF")
    func badLine() {
        #expect(throws: AgeError.invalidIdentity(source: "key.txt", line: 2)) {
            try AgeIdentity.parseFile("# x\r\nAGE-SECRET-KEY-1NOPE\r\n", source: "key.txt")
        }
    }
}
