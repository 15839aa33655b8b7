import FileSystem
import Testing

/// The one line splitter: LF, CRLF and a last line without a newline read the same.
@Suite("TextLines: CRLF, LF and no final newline")
struct TextLinesTests {
    @Test("the same lines whatever the line ending", arguments: ["\n", "\r\n"], [true, false])
    func sameLines(ending: String, finalNewline: Bool) {
        let text =
            ["A=1", "", "  indented", "last é"].joined(separator: ending) + (finalNewline ? ending : "")
        #expect(TextLines.lines(of: text) == ["A=1", "", "  indented", "last é"])
        #expect(TextLines.lines(of: Array(text.utf8)) == ["A=1", "", "  indented", "last é"])
    }

    @Test("mixed endings, empty text, a lone carriage return inside a line")
    func edges() {
        #expect(TextLines.lines(of: "a\r\nb\nc\r\n") == ["a", "b", "c"])
        #expect(TextLines.lines(of: "").isEmpty)
        #expect(TextLines.lines(of: "\n") == [""])
        #expect(TextLines.lines(of: "\r\n\r\n") == ["", ""])
        #expect(TextLines.lines(of: "a\rb\n") == ["a\rb"])
        #expect(TextLines.lines(of: "no newline\r") == ["no newline"])
    }
}
