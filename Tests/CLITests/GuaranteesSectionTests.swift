import Foundation
import TestSupport
import Testing

/// The README's "What kms-drift guarantees" names, for each claim, the tests that hold it: every
/// `Suite/test` named there must be a test function of that suite, so a renamed or deleted test
/// cannot leave a claim unheld without this failing.
@Suite("README: every guarantee names tests that exist")
struct GuaranteesSectionTests {
    @Test("each `Suite/test` in the guarantees section is a function of that struct under Tests/")
    func namedTestsExist() throws {
        let readme = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "## What kms-drift guarantees"))
        let end = try #require(readme[start.upperBound...].range(of: "\n## "))
        let section = readme[start.upperBound..<end.lowerBound]
        var names: [(suite: String, test: String)] = []
        for piece in section.split(separator: "`").enumerated() where piece.offset % 2 == 1 {
            let parts = piece.element.split(separator: "/")
            guard parts.count == 2, parts[0].first?.isUppercase == true, parts[0].hasSuffix("Tests"),
                parts.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber } })
            else { continue }
            names.append((String(parts[0]), String(parts[1])))
        }
        #expect(names.count >= 40, "\(names.count) tests named")
        var sources: [String] = []
        let tests = TestPaths.packageRoot.appendingPathComponent("Tests")
        let walker = FileManager.default.enumerator(atPath: tests.path)
        while let path = walker?.nextObject() as? String {
            guard path.hasSuffix(".swift") else { continue }
            sources.append(
                try String(contentsOfFile: tests.appendingPathComponent(path).path, encoding: .utf8))
        }
        for (suite, test) in names {
            let found = sources.contains { $0.contains("struct \(suite) ") && $0.contains("func \(test)(") }
            #expect(found, "the guarantees name \(suite)/\(test), which is not a test")
        }
    }
}
