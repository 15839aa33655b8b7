import Testing

@testable import DriftCore

@Suite("TerminalText")
struct TerminalTextTests {
    @Test("control characters never reach a terminal raw")
    func terminalText() {
        #expect(TerminalText.escaped("a\u{1b}[2Jb") == "a\\x1b[2Jb")
        #expect(TerminalText.escaped("x\ny\rz\t") == "x\\ny\\rz\\t")
        #expect(TerminalText.escaped("evil\u{202e}lmth.exe") == "evil\\u202elmth.exe")
        #expect(TerminalText.escaped("\u{9b}31m") == "\\x9b31m")
        #expect(TerminalText.escaped("ünï 名前") == "ünï 名前")
    }
}
