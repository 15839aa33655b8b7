import FileSystem
import Foundation
import TOML
import TestSupport
import Testing

@testable import DriftCore

/// Files above 4 MiB are parsed from memory that is handed back as parsing goes: the tree and
/// the errors must be exactly those of an ordinary parse.
@Suite("Large files", .temporaryDirectory)
struct LargeFileTests {
    static func largeDocument(tables: Int) -> String {
        var text = "title = \"large\"\n"
        for index in 0..<tables {
            text += "\n[region_\(index)]\nname = \"région-\(index)\"\nlimits = [1, 2, 3]\n"
            text += "labels = { zone = \"z\(index % 7)\", tier = 't\(index % 3)' }\n"
            text += "note = \"\"\"\nline one\nline two of \(index)\n\"\"\"\n"
        }
        return text
    }

    @Test("a large file parses to the same tree as from an in-memory copy")
    func sameTree() throws {
        let directory = try TemporaryDirectory.current().url
        let text = Self.largeDocument(tables: 60_000)
        let file = directory.appendingPathComponent("large.toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try #require((FileContents.size(of: file.path) ?? 0) >= ConfigFile.largeFileSize)
        let loaded = try ConfigFile.load(file.path)
        let parsed = try parseTOML(text)
        #expect(ValueEquality.equal(.table(loaded.root), .table(parsed)))
        let last = try #require(loaded.root.entry(forKey: "region_59999"))
        #expect(last.keyLocation == parsed.entry(forKey: "region_59999")?.keyLocation)
    }

    @Test("an error near the end of a large file names the right line, and the first definition")
    func errorAfterRelease() throws {
        let directory = try TemporaryDirectory.current().url
        let text = Self.largeDocument(tables: 60_000) + "name = \"again\"\n"
        let file = directory.appendingPathComponent("large.toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let allLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let lines = allLines.count - 1
        let firstName = try #require(allLines.firstIndex { $0 == "name = \"région-59999\"" }) + 1
        do {
            _ = try ConfigFile.load(file.path)
            Issue.record("expected a duplicate-key error")
        } catch {
            #expect(error.description.hasPrefix("\(file.path):\(lines):1: "), "\(error.description)")
            #expect(error.description.contains("first defined at line \(firstName)"), "\(error.description)")
        }
    }
}
