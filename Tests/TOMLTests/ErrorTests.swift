import Testing

@testable import TOML

/// Representative mistakes: the right reason, the right place, a message an operator can act on.
@Suite("parse errors")
struct ErrorTests {
    private func failure(
        _ bytes: [UInt8], version: TOMLParser.Version = .v1_1, file: String = "cur.toml"
    ) -> TOMLParseError? {
        do {
            _ = try TOMLParser(version: version).parse(bytes, fileName: file)
            return nil
        } catch {
            return error
        }
    }

    private func failure(_ text: String, version: TOMLParser.Version = .v1_1) -> TOMLParseError? {
        failure(Array(text.utf8), version: version)
    }

    @Test func duplicateKeyNamesTheFirstDefinition() throws {
        let error = try #require(failure("# c\nport = 1\nhost = \"h\"\n  port = 2\n"))
        #expect(error.reason == .duplicateKey(key: "port", firstLine: 2))
        #expect(error.location == TOML.SourceLocation(line: 4, column: 3))
        #expect(error.description == "cur.toml:4:3: duplicate key \"port\" (first defined at line 2)")
        #expect(error.hint == nil)
    }

    @Test func tableDefinedTwice() throws {
        let error = try #require(failure("[service]\na = 1\n\n[service]\n"))
        #expect(error.reason == .tableDefinedTwice(name: "service", firstLine: 1))
        #expect(error.description == "cur.toml:4:1: table [service] is defined twice (first at line 1)")
    }

    @Test func unrenderedTemplateGetsAHint() throws {
        let error = try #require(failure("[threshold]\nmy_id = ${PARTY_ID}\n"))
        #expect(error.reason == .templatePlaceholder("${PARTY_ID}"))
        #expect(error.location == TOML.SourceLocation(line: 2, column: 9))
        let hint = try #require(error.hint)
        #expect(hint.contains("unrendered template"))
        #expect(hint.contains("envsubst"))
        #expect(hint.contains("Helm"))
        #expect(error.description.contains("\n  hint: "))
        let helm = try #require(failure("address = {{ .Values.address }}\n"))
        #expect(helm.reason == .templatePlaceholder("{{ .Values.address }}"))
        #expect(helm.hint != nil)
    }

    @Test(arguments: [
        ([0x61, 0x3D, 0x22, 0xFF, 0x22], 0xFF as UInt8, 4),  // stray byte
        ([0x61, 0x3D, 0x22, 0xC0, 0xAF, 0x22], 0xC0, 4),  // overlong "/"
        ([0x61, 0x3D, 0x22, 0xED, 0xA0, 0x80, 0x22], 0xA0, 5),  // surrogate U+D800
        ([0x61, 0x3D, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 0x90, 5),  // above U+10FFFF
        ([0x23, 0x20, 0xE2, 0x82], 0xE2, 3),  // truncated sequence in a comment at end of file
    ])
    func invalidUTF8(bytes: [UInt8], byte: UInt8, column: Int) throws {
        let error = try #require(failure(bytes))
        #expect(error.reason == .invalidUTF8(byte: byte))
        #expect(error.location.line == 1)
        #expect(error.location.column == column)
        #expect(error.message.hasPrefix("invalid UTF-8 byte 0x"))
    }

    @Test func invalidUTF8MessageIsLowercaseHex() throws {
        let error = try #require(failure([0x61, 0x3D, 0x22, 0xFF, 0x22]))
        #expect(error.message == "invalid UTF-8 byte 0xff")
    }

    @Test func controlCharactersInStringsAndComments() throws {
        let nul = try #require(failure([0x61, 0x3D, 0x22, 0x78, 0x00, 0x22]))
        #expect(nul.message == "control character U+0000 is not allowed in a string")
        #expect(nul.location == TOML.SourceLocation(line: 1, column: 5))
        let comment = try #require(failure("a = 1 # bell \u{7}\n"))
        #expect(comment.reason == .controlCharacter(scalar: 7, place: "a comment"))
        let key = try #require(failure([0x61, 0x01, 0x3D, 0x31]))
        #expect(key.message == "expected \"=\" after key \"a\", found control character U+0001")
        let cr = try #require(failure("a = 1\rb = 2\n"))
        #expect(cr.reason == .bareCarriageReturn)
    }

    @Test func expectedEquals() throws {
        let error = try #require(failure("port 50001\n"))
        #expect(error.message == "expected \"=\" after key \"port\"")
        #expect(error.location == TOML.SourceLocation(line: 1, column: 6))
    }

    @Test func truncatedFiles() throws {
        let string = try #require(failure("a = 1\n\nb = \"abc"))
        #expect(string.message == "unterminated string (started at line 3)")
        let multiline = try #require(failure("a = \"\"\"\nabc\n"))
        #expect(multiline.reason == .unterminatedString(startLine: 1))
        let array = try #require(failure("a = [1,\n2"))
        #expect(array.reason == .unterminatedArray(startLine: 1))
        let inline = try #require(failure("a = { b = 1"))
        #expect(inline.reason == .unterminatedInlineTable(startLine: 1))
        let header = try #require(failure("[servi"))
        #expect(header.message.hasPrefix("unexpected end of file"))
        let value = try #require(failure("a ="))
        #expect(value.reason == .expectedValue(key: "a", found: "end of file"))
    }

    @Test func integerOverflow() throws {
        let error = try #require(failure("n = 99999999999999999999\n"))
        #expect(error.message == "integer 99999999999999999999 does not fit in 64 bits")
        #expect(failure("n = 9223372036854775807\nm = -9223372036854775808\n") == nil)
        #expect(failure("n = 9223372036854775808\n")?.reason == .integerOverflow("9223372036854775808"))
        #expect(failure("n = 0xffffffffffffffff\n")?.reason == .integerOverflow("0xffffffffffffffff"))
    }

    @Test func redefinitionRules() throws {
        #expect(failure("a = {b = 1}\n[a]\n")?.reason == .inlineTableExtended(name: "a", firstLine: 1))
        #expect(failure("a = [1]\n[[a]]\n")?.reason == .staticArrayExtended(name: "a", firstLine: 1))
        #expect(failure("a.b = 1\n[a]\n")?.reason == .tableRedefinedByDottedKeys(name: "a", firstLine: 1))
        #expect(
            failure("a = 1\na.b = 2\n")?.reason == .notATable(name: "a", typeName: "integer", firstLine: 1))
        #expect(
            failure("[a.b]\n[a]\nb.c = 1\n")?.reason == .tableRedefinedByDottedKeys(name: "b", firstLine: 1))
    }

    @Test func version10RejectsWhat11Added() throws {
        for text in [
            "a = \"\\e\"\n", "a = \"\\x41\"\n", "t = 07:32\n", "t = {\n a = 1 }\n", "t = { a = 1, }\n",
        ] {
            #expect(failure(text, version: .v1_1) == nil, "\(text)")
            let error = failure(text, version: .v1_0)
            guard case .requiresTOML11? = error?.reason else {
                Issue.record("1.0 should reject \(text) as 1.1-only, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test func nestingTooDeepSaysTheLimit() throws {
        let text = "a = " + String(repeating: "[", count: TOMLParser.maximumNesting + 1)
        #expect(failure(text)?.reason == .nestingTooDeep(limit: TOMLParser.maximumNesting))
    }
}
