import Testing

@testable import DriftCore

/// The one JSON reader: values with their positions, numbers as serde_json tells them apart, and
/// every refusal an error at the line and column of the fault.
@Suite("JSON reader")
struct JSONReaderTests {
    static func invalid(
        _ text: String, duplicateKeys: JSONReader.DuplicateKeys = .keepLast,
        limits: JSONReader.Limits = JSONReader.Limits()
    ) -> (line: Int, column: Int, reason: String)? {
        do {
            _ = try JSONReader.read(Array(text.utf8), duplicateKeys: duplicateKeys, limits: limits)
            return nil
        } catch {
            guard case .invalid(let line, let column, let reason) = error else { return nil }
            return (line, column, reason)
        }
    }

    @Test("a valid document reads into a tree: document order, positions, integers and floats apart")
    func valid() throws {
        let text = """
            {"name": "kms \\u00e9\\ud83d\\ude00\\n",
              "count": 9223372036854775807, "big": 9223372036854775808, "ratio": -0.5e1,
              "flags": [true, false, null], "empty": {}}
            """
        guard case .object(let root) = try JSONReader.read(Array(text.utf8)) else {
            Issue.record("the top level is not an object")
            return
        }
        #expect(root.keys == ["name", "count", "big", "ratio", "flags", "empty"])
        #expect(root["name"] == .string("kms é😀\n", JSONPosition(line: 1, column: 10)))
        #expect(root["count"] == .integer(Int64.max, JSONPosition(line: 2, column: 12)))
        #expect(root["big"] == .float(9_223_372_036_854_775_808, JSONPosition(line: 2, column: 40)))
        #expect(root["ratio"] == .float(-5, JSONPosition(line: 2, column: 70)))
        #expect(
            root["flags"]
                == .array(
                    [
                        .boolean(true, JSONPosition(line: 3, column: 13)),
                        .boolean(false, JSONPosition(line: 3, column: 19)),
                        .null(JSONPosition(line: 3, column: 26)),
                    ], JSONPosition(line: 3, column: 12)))
        #expect(root["empty"] == .object(JSONObject(position: JSONPosition(line: 3, column: 42))))
        #expect(root.position == JSONPosition(line: 1, column: 1))
        // A byte order mark is skipped; a scalar is a document too.
        #expect(
            try JSONReader.read([0xEF, 0xBB, 0xBF] + Array(" 7 ".utf8))
                == .integer(7, JSONPosition(line: 1, column: 5)))
    }

    @Test(
        "invalid JSON is an error at its line and column, with the reason",
        arguments: [
            ("{\n  \"a\": tru\n}", 2, 8, "unexpected character, expected a value"),
            ("{\"a\": 1,}", 1, 9, "expected a quoted key"),
            ("[1 2]", 1, 4, "expected ',' or ']'"),
            ("{\"a\": 01}", 1, 7, "leading zero in a number"),
            ("{\"a\": 1.}", 1, 9, "invalid number: no digit after '.'"),
            ("{\"a\": 1e999}", 1, 7, "number out of range"),
            ("\"\\ud800\"", 1, 8, "unpaired surrogate in a \\u escape"),
            ("\"tab\there\"", 1, 5, "control character in a string"),
            ("{\"a\": 1} x", 1, 10, "unexpected text after the JSON value"),
            ("[\"open", 1, 7, "unterminated string"),
            ("", 1, 1, "unexpected end of input, expected a value"),
        ])
    func invalidWithPosition(text: String, line: Int, column: Int, reason: String) {
        let found = Self.invalid(text)
        #expect(
            found?.line == line && found?.column == column && found?.reason == reason,
            "\(String(describing: found))")
    }

    @Test("bytes that are not UTF-8 inside a string are refused, not replaced")
    func invalidUTF8() {
        do {
            _ = try JSONReader.read(Array("{\"a\": \"x".utf8) + [0xFF] + Array("\"}".utf8))
            Issue.record("invalid UTF-8 was read")
        } catch {
            #expect(error == .invalid(line: 1, column: 8, reason: "invalid UTF-8 in a string"))
        }
    }

    @Test("a repeated key keeps the last value in its later place, or is refused at the repeat")
    func duplicateKey() throws {
        let text = "{\"a\": 1, \"b\": 2,\n \"a\": 3}"
        guard case .object(let kept) = try JSONReader.read(Array(text.utf8), duplicateKeys: .keepLast) else {
            Issue.record("the top level is not an object")
            return
        }
        #expect(kept.keys == ["b", "a"])
        #expect(kept["a"] == .integer(3, JSONPosition(line: 2, column: 7)))
        let refused = Self.invalid(text, duplicateKeys: .refuse)
        #expect(refused?.line == 2 && refused?.column == 2 && refused?.reason == "the key \"a\" is repeated")
    }

    @Test(
        "nesting deeper than the limit is refused (no stack exhaustion), as is a document over the size limit"
    )
    func limits() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(Self.invalid(deep)?.reason == "nested deeper than 512 levels")
        #expect(Self.invalid(deep)?.column == 513)
        let fits = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(Self.invalid(fits) == nil)
        let small = JSONReader.Limits(maximumDepth: 2)
        #expect(Self.invalid("[[[]]]", limits: small)?.reason == "nested deeper than 2 levels")
        #expect(throws: JSONReadError.tooLarge(size: 11, limit: 10)) {
            try JSONReader.read(Array("\"123456789\"".utf8), limits: JSONReader.Limits(maximumBytes: 10))
        }
    }
}
