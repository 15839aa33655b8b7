import Foundation
import TestSupport
import Testing

@testable import TOML

/// No input may crash the process: deep nesting, huge numbers and strings, truncated and
/// mutated files must each give a value or an error.
@Suite("robustness")
struct RobustnessTests {
    private func outcome(_ bytes: [UInt8], version: TOMLParser.Version = .v1_1) -> Result<
        TOMLTable, TOMLParseError
    > {
        do {
            return .success(try TOMLParser(version: version).parse(bytes))
        } catch {
            return .failure(error)
        }
    }

    @Test(arguments: ["[", "{b=", "[{b=", "{b=[", "[ # c\n"])
    func hundredThousandDeepNestingIsAnErrorQuickly(opening: String) throws {
        let started = ContinuousClock.now
        let text = "a = " + String(repeating: opening, count: 100_000)
        guard case .failure(let error) = outcome(Array(text.utf8)) else {
            Issue.record("deep nesting was accepted")
            return
        }
        #expect(error.reason == .nestingTooDeep(limit: TOMLParser.maximumNesting))
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test(arguments: [
        "[" + String(repeating: "a.", count: 100_000) + "a]\n",
        "[[" + String(repeating: "a.", count: 100_000) + "a]]\n",
        String(repeating: "a.", count: 100_000) + "a = 1\n",
        "x = {" + String(repeating: "a.", count: 300) + "a = {" + String(repeating: "b.", count: 300)
            + "c = 1}}\n",
    ])
    func deepTablesFromKeysAreAnError(text: String) throws {
        guard case .failure(let error) = outcome(Array(text.utf8)) else {
            Issue.record("a tree deeper than the limit was accepted")
            return
        }
        #expect(error.reason == .nestingTooDeep(limit: TOMLParser.maximumNesting))
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = TOMLParser.maximumNesting
        let text = "a = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try #require(try TOMLParser().parse(text)["a"])
        for _ in 1..<depth { value = try #require(value.arrayValue?.elements.first) }
        #expect(value.arrayValue?.isEmpty == true)
    }

    @Test func hugeNumbersAreErrorsOrValues() throws {
        let digits = String(repeating: "9", count: 100_000)
        #expect(throws: TOMLParseError.self) { try TOMLParser().parse("a = \(digits)") }
        #expect(throws: TOMLParseError.self) { try TOMLParser().parse("a = -\(digits)") }
        #expect(throws: TOMLParseError.self) { try TOMLParser().parse("a = 0x\(digits)") }
        let float = try TOMLParser().parse("a = \(digits).5e99999")
        #expect(float["a"].map { if case .float(let x) = $0 { x == .infinity } else { false } } == true)
    }

    @Test func tenMegabyteStringIsAValue() throws {
        let body = String(repeating: "abcdefghij", count: 1_000_000)
        let table = try TOMLParser().parse("a = \"\(body)\"\nb = '''\n\(body)'''\nc = \"\\t\(body)\"\n")
        #expect(table["a"]?.stringValue?.utf8.count == 10_000_000)
        #expect(table["b"]?.stringValue?.utf8.count == 10_000_000)
        #expect(table["c"]?.stringValue?.utf8.count == 10_000_001)
        #expect(table.entry(forKey: "c")?.keyLocation.line == 4)
    }

    @Test func everyTruncationOfARealConfigIsAnErrorOrAValue() throws {
        let url = SharedData.corpus.appendingPathComponent("core__service__config__default_1.toml")
        let bytes = try SharedData.bytes(url)
        var accepted = 0
        for length in 0...bytes.count {
            if case .success = outcome(Array(bytes[0..<length])) { accepted += 1 }
        }
        #expect(accepted > 0)
        if case .failure(let error) = outcome(bytes) { Issue.record("the full file must parse: \(error)") }
    }

    @Test func seededMutationFuzzNeverCrashes() throws {
        let files = try SharedData.corpusFiles().map(SharedData.bytes)
        try #require(!files.isEmpty, "corpus not found at \(SharedData.corpus.path)")
        var random = SplitMix64(seed: 0x6B6D_732D_6472_6966)
        let interesting: [UInt8] =
            Array("[]{}=,.\"'\\#\n\r\t 0xe+-_:TZ$".utf8) + [0x00, 0x7F, 0x80, 0xC0, 0xED, 0xF4, 0xFF]
        let started = ContinuousClock.now
        var outcomes = (accepted: 0, rejected: 0)
        for round in 0..<3000 {
            var bytes = files[round % files.count]
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                guard !bytes.isEmpty else { break }
                let index = Int.random(in: 0..<bytes.count, using: &random)
                let byte =
                    Bool.random(using: &random)
                    ? interesting.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[index] = byte
                case 1: bytes.insert(byte, at: index)
                case 2: bytes.remove(at: index)
                default:
                    let length = Int.random(in: 0...min(64, bytes.count - index), using: &random)
                    bytes.insert(contentsOf: bytes[index..<(index + length)], at: index)
                }
            }
            switch outcome(bytes, version: round % 2 == 0 ? .v1_1 : .v1_0) {
            case .success: outcomes.accepted += 1
            case .failure: outcomes.rejected += 1
            }
        }
        print("fuzz: 3000 mutations, \(outcomes.accepted) accepted, \(outcomes.rejected) rejected")
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func everyCorpusFileParses() throws {
        let files = try SharedData.corpusFiles()
        try #require(!files.isEmpty, "corpus not found at \(SharedData.corpus.path)")
        for url in files {
            do {
                let table = try TOMLParser().parse(try SharedData.bytes(url), fileName: url.lastPathComponent)
                #expect(!table.isEmpty, "\(url.lastPathComponent) parsed to an empty table")
            } catch {
                Issue.record("\(error)")
            }
        }
        print("corpus: \(files.count) .toml files parsed")
    }
}
