import Testing

@testable import TOML

/// Every key, value and header must point at the line and column an editor shows.
@Suite("source positions")
struct PositionTests {
    private func parse(_ text: String) throws -> TOMLTable {
        try TOMLParser().parse(text)
    }

    private func location(_ line: Int, _ column: Int) -> TOML.SourceLocation {
        TOML.SourceLocation(line: line, column: column)
    }

    @Test func keysAndValuesOnPlainLines() throws {
        let table = try parse("a = 1\n  b   =   \"x\"\n")
        let b = try #require(table.entry(forKey: "b"))
        #expect(table.entry(forKey: "a")?.keyLocation == location(1, 1))
        #expect(table.entry(forKey: "a")?.valueLocation == location(1, 5))
        #expect(b.keyLocation == location(2, 3))
        #expect(b.valueLocation == location(2, 11))
        #expect(table.keys == ["a", "b"])
    }

    @Test func columnsCountUnicodeScalarsNotBytes() throws {
        let table = try parse("t = { \"é日\" = \"ü\", k = 2 }\n")
        let inline = try #require(table["t"]?.tableValue)
        #expect(inline.entry(forKey: "é日")?.keyLocation == location(1, 7))
        #expect(inline.entry(forKey: "é日")?.valueLocation == location(1, 14))
        #expect(inline.entry(forKey: "k")?.keyLocation == location(1, 19))
        #expect(inline.entry(forKey: "k")?.valueLocation == location(1, 23))
        #expect(inline.location == location(1, 5))
    }

    @Test func linesAfterMultilineStrings() throws {
        let text =
            "a = \"\"\"\nline one\nline two\"\"\"\nb = '''\n\n'''  # done\n\nc = [\n  1,\n  \"ä\", 3,\n]\n"
        let table = try parse(text)
        #expect(table["a"]?.stringValue == "line one\nline two")
        #expect(table.entry(forKey: "b")?.keyLocation == location(4, 1))
        #expect(table.entry(forKey: "c")?.keyLocation == location(8, 1))
        let array = try #require(table["c"]?.arrayValue)
        #expect(array.location == location(8, 5))
        #expect(array.locations == [location(9, 3), location(10, 3), location(10, 8)])
    }

    @Test func crlfFilesCountLinesOnce() throws {
        let table = try parse("# head\r\na = 1\r\n\r\n[t]\r\nb = \"\"\"x\r\ny\"\"\"\r\nc = 2\r\n")
        #expect(table.entry(forKey: "a")?.keyLocation == location(2, 1))
        #expect(table.entry(forKey: "t")?.keyLocation == location(4, 1))
        let t = try #require(table["t"]?.tableValue)
        #expect(t["b"]?.stringValue == "x\r\ny")
        #expect(t.entry(forKey: "c")?.keyLocation == location(7, 1))
        #expect(t.entry(forKey: "c")?.valueLocation == location(7, 5))
    }

    @Test func headersGiveTheirPositionToTablesAndArrays() throws {
        let text = "[server]\nport = 1\n\n[[peers]]\nid = 1\n\n  [[peers]]\nid = 2\n"
        let table = try parse(text)
        let server = try #require(table["server"]?.tableValue)
        #expect(server.origin == .header)
        #expect(server.location == location(1, 1))
        #expect(table.entry(forKey: "server")?.keyLocation == location(1, 1))
        #expect(table.entry(forKey: "server")?.valueLocation == location(1, 1))
        let peers = try #require(table["peers"]?.arrayValue)
        #expect(peers.isArrayOfTables)
        #expect(peers.location == location(4, 1))
        #expect(peers.locations == [location(4, 1), location(7, 3)])
        #expect(peers[1].tableValue?.entry(forKey: "id")?.keyLocation == location(8, 1))
        #expect(peers[1].tableValue?.origin == .arrayItem)
    }

    @Test func implicitTableTakesTheLaterDefiningHeader() throws {
        let table = try parse("[a.b]\nx = 1\n[a]\ny = 2\n")
        let a = try #require(table["a"]?.tableValue)
        #expect(a.origin == .header)
        #expect(a.location == location(3, 1))
        #expect(table.entry(forKey: "a")?.keyLocation == location(3, 1))
        #expect(a.keys == ["b", "y"])
    }

    @Test func dottedKeysCreateTablesAtTheKey() throws {
        let table = try parse("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n")
        let apple = try #require(table.value(at: ["fruit", "apple"])?.tableValue)
        #expect(apple.origin == .dotted)
        #expect(apple.location == location(2, 1))
        #expect(apple.entry(forKey: "color")?.keyLocation == location(2, 7))
        #expect(table.value(at: ["fruit", "apple", "taste", "sweet"]) != nil)
    }

    @Test func byteOrderMarkIsSkippedAndNotCounted() throws {
        let table = try TOMLParser().parse([0xEF, 0xBB, 0xBF] + Array("a = 1\n".utf8))
        #expect(table.entry(forKey: "a")?.keyLocation == location(1, 1))
        #expect(table["a"]?.integerValue == 1)
    }
}
