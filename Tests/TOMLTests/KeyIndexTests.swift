import Testing

@testable import TOML

/// Large tables find their keys through ``KeyIndex``: every key at its position, across the
/// index's growth, with non-ASCII keys, and a duplicate still refused wherever it appears.
@Suite("key index of large tables")
struct KeyIndexTests {
    /// `count` keys, some with the same bytes in another order, some not ASCII.
    static func keys(_ count: Int) -> [String] {
        (0..<count).map { index in
            switch index % 4 {
            case 0: "key_\(index)"
            case 1: "\(index)_key"
            case 2: "clé_\(index)"
            default: "k\(String(String(index).reversed()))"
            }
        }
    }

    @Test(arguments: [33, 64, 65, 1_000, 5_000])
    func everyKeyFound(count: Int) throws {
        let keys = Self.keys(count)
        let text = keys.enumerated().map { "\"\($1)\" = \($0)" }.joined(separator: "\n")
        let table = try TOMLParser().parse(Array(text.utf8), fileName: "big.toml")
        #expect(table.count == count)
        for (position, key) in keys.enumerated() {
            #expect(table.position(ofKey: key) == position, "\(key)")
            #expect(table[key]?.integerValue == Int64(position), "\(key)")
        }
        #expect(table.position(ofKey: "absent") == nil)
        #expect(table.position(ofKey: "key_") == nil)
    }

    @Test(arguments: [40, 700])
    func duplicateFoundInALargeTable(count: Int) throws {
        let keys = Self.keys(count)
        var lines = keys.enumerated().map { "\"\($1)\" = \($0)" }
        lines.append("\"\(keys[count / 2])\" = 0")
        do {
            _ = try TOMLParser().parse(Array(lines.joined(separator: "\n").utf8), fileName: "big.toml")
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.reason == .duplicateKey(key: keys[count / 2], firstLine: count / 2 + 1))
        }
    }
}
