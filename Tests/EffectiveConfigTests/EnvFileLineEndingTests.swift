import Testing

@testable import EffectiveConfig

/// Env files read the same with CRLF, LF and no final newline (issue 18: a CRLF file was one
/// variable holding the whole file).
@Suite("env files: CRLF, LF and no final newline")
struct EnvFileLineEndingTests {
    @Test("each variable on its own line, whatever the ending", arguments: ["\n", "\r\n"], [true, false])
    func variables(ending: String, finalNewline: Bool) throws {
        let text =
            [
                "# comment", "KMS_CORE__TELEMETRY__TRACING_SERVICE_NAME=party1",
                "KMS_CORE__SERVICE__LISTEN_PORT=70000", "Q='quoted'", "M=\"multi", "line\"", "LAST=x",
            ].joined(separator: ending) + (finalNewline ? ending : "")
        let parsed = try EnvFile.parse(text, path: "e.env")
        #expect(
            parsed.pairs.map(\.name) == [
                "KMS_CORE__TELEMETRY__TRACING_SERVICE_NAME", "KMS_CORE__SERVICE__LISTEN_PORT", "Q", "M",
                "LAST",
            ])
        #expect(parsed["KMS_CORE__TELEMETRY__TRACING_SERVICE_NAME"] == "party1")
        #expect(parsed["KMS_CORE__SERVICE__LISTEN_PORT"] == "70000")
        #expect(parsed["Q"] == "quoted")
        #expect(parsed["M"] == "multi\nline")
        #expect(parsed["LAST"] == "x")
    }

    @Test("a CRLF file's syntax error names the same line as the LF file's")
    func errorLine() {
        for ending in ["\n", "\r\n"] {
            #expect {
                try EnvFile.parse("A=1\(ending)JUST_A_NAME\(ending)", path: "x.env")
            } throws: { error in
                "\(error)".hasPrefix("x.env:2: `JUST_A_NAME` has no `=`")
            }
        }
    }
}
