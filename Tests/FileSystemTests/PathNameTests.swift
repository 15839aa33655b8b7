import Testing

@testable import FileSystem

@Suite("PathName")
struct PathNameTests {
    static let cases: [(bytes: [UInt8], key: String)] = [
        (Array("kms-server.toml".utf8), "kms-server.toml"),
        (Array("ünï/名前.toml".utf8), "ünï/名前.toml"),
        (Array("bad".utf8) + [0xff] + Array(".toml".utf8), "bad\\xff.toml"),
        (Array("a\\b".utf8), "a\\\\b"),
        (Array("dir/".utf8) + [0xc3] + Array("/x".utf8), "dir/\\xc3/x"),
        (Array("a\\xff".utf8), "a\\\\xff"),
    ]

    @Test(
        "keys: plain UTF-8 names are themselves, others escaped, and every key maps back to its bytes",
        arguments: cases)
    func keys(bytes: [UInt8], key: String) {
        #expect(PathName.key(bytes) == key)
        #expect(PathName.bytes(key) == bytes)
    }

    @Test("no two names share a key (random names, seeded)")
    func injective() {
        var state: UInt64 = 0x1234_5678
        func next() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        let alphabet: [UInt8] = [0x61, 0x5c, 0x78, 0x66, 0xff, 0xc3, 0xa9, 0x2f, 0x30]
        var seen: [String: [UInt8]] = [:]
        for _ in 0..<5000 {
            let name = (0..<Int(next() % 6 + 1)).map { _ in alphabet[Int(next()) % alphabet.count] }
            let key = PathName.key(name)
            #expect(PathName.bytes(key) == name)
            if let other = seen[key] { #expect(other == name, "\(other) and \(name) share \(key)") }
            seen[key] = name
        }
    }

    @Test("what an operator types: a printed key, or the name itself")
    func userInput() {
        #expect(PathName.key(parsingUserInput: "bad\\xff.toml") == "bad\\xff.toml")
        #expect(PathName.key(parsingUserInput: "a\\\\b") == "a\\\\b")
        #expect(PathName.key(parsingUserInput: "a\\b") == "a\\\\b")
        #expect(PathName.key(parsingUserInput: "plain.toml") == "plain.toml")
    }
}
