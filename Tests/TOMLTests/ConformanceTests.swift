import Foundation
import Testing

@testable import TOML

/// Runs the toml-test suite from `shared/toml-test` as listed for each TOML version.
@Suite("toml-test conformance")
struct ConformanceTests {
    struct Run: CustomTestStringConvertible, Sendable {
        let listName: String
        let version: TOMLParser.Version
        let expectedValid: Int
        let expectedInvalid: Int
        var testDescription: String { listName }
    }

    static let runs = [
        Run(listName: "files-toml-1.1.0", version: .v1_1, expectedValid: 220, expectedInvalid: 492),
        Run(listName: "files-toml-1.0.0", version: .v1_0, expectedValid: 210, expectedInvalid: 499),
    ]

    @Test("every listed case passes", arguments: runs)
    func suite(run: Run) throws {
        try #require(
            SharedData.isPresent,
            "toml-test data not found at \(SharedData.tomlTest.path); the package expects shared/ beside it")
        let list = try String(
            contentsOf: SharedData.tomlTest.appendingPathComponent(run.listName), encoding: .utf8)
        let cases = list.split(separator: "\n").map(String.init).filter { $0.hasSuffix(".toml") }
        let parser = TOMLParser(version: run.version)
        var failures: [String] = []
        var validPassed = 0
        var validTotal = 0
        var invalidPassed = 0
        var invalidTotal = 0
        for name in cases {
            let url = SharedData.tomlTest.appendingPathComponent(name)
            let bytes = try SharedData.bytes(url)
            if name.hasPrefix("valid/") {
                validTotal += 1
                let expectedURL = url.deletingPathExtension().appendingPathExtension("json")
                let expected = try TaggedJSON.load(expectedURL)
                do {
                    let table = try parser.parse(bytes, fileName: name)
                    if let problem = TaggedJSON.mismatch(expected: expected, actual: .table(table)) {
                        failures.append("\(name): wrong value: \(problem)")
                    } else {
                        validPassed += 1
                    }
                } catch {
                    failures.append("\(name): rejected: \(error)")
                }
            } else {
                invalidTotal += 1
                do {
                    _ = try parser.parse(bytes, fileName: name)
                    failures.append("\(name): accepted but must be rejected")
                } catch {
                    invalidPassed += 1
                }
            }
        }
        let versionName = run.listName.replacingOccurrences(of: "files-toml-", with: "")
        print(
            "toml-test \(versionName): \(validPassed)/\(validTotal) valid, \(invalidPassed)/\(invalidTotal) invalid"
        )
        #expect(validTotal == run.expectedValid)
        #expect(invalidTotal == run.expectedInvalid)
        #expect(failures.isEmpty, "\(failures.count) failing cases:\n\(failures.joined(separator: "\n"))")
    }
}
