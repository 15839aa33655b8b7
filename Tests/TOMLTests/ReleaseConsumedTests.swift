import Testing

@testable import TOML

/// `parse(_:fileName:releaseConsumed:)` promises never to read a released byte again: released
/// bytes are overwritten with NUL here, which would be an error if the parser looked back.
@Suite("Releasing consumed input")
struct ReleaseConsumedTests {
    @Test("bytes released during parsing are never read again")
    func releasedBytesAreNotRead() throws {
        var text = "title = \"release\"\n"
        for index in 0..<100_000 {
            text += "[t\(index)]\nname = \"n\(index)\"\nlist = [1, 2, 3]\nmulti = '''\nx\ny\n'''\n"
        }
        let bytes = Array(text.utf8)
        let expected = try TOMLParser().parse(bytes, fileName: "big.toml")
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        defer { copy.deallocate() }
        _ = copy.initialize(from: bytes)
        var releases: [Int] = []
        let root = try TOMLParser().parse(UnsafeBufferPointer(copy), fileName: "big.toml") { consumed in
            let from = releases.last ?? 0
            releases.append(consumed)
            if consumed > from { for index in from..<consumed { copy[index] = 0 } }
        }
        #expect(
            releases.count == bytes.count / (4 << 20), "a \(bytes.count)-byte input is released every 4 MiB")
        #expect(releases == releases.sorted())
        #expect(root.count == expected.count)
        #expect(root.entry(forKey: "t99999")?.keyLocation == expected.entry(forKey: "t99999")?.keyLocation)
        #expect(root.value(at: ["t99999", "name"])?.stringValue == "n99999")
    }
}
