import Foundation
import TOML
import TestSupport
import Testing

@testable import DriftCore

/// Every real kms-server configuration of the corpus parses and has no drift against itself.
@Suite("Real KMS configurations")
struct CorpusTests {
    static let corpus = TestPaths.shared.appendingPathComponent("corpus/kms")

    static var tomlFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.sorted()
    }

    @Test("the corpus is there")
    func corpusPresent() {
        #expect(Self.tomlFiles.count >= 14, "expected the kms corpus at \(Self.corpus.path)")
    }

    @Test("parses and compares equal to itself", arguments: tomlFiles)
    func selfCheck(name: String) throws {
        let path = Self.corpus.appendingPathComponent(name).path
        let report = try TreeComparison().compareFiles(reference: path, current: path)
        #expect(report.isClean)
    }

    /// Parties 1 and 2 of the repo's sample network: party-local values differ, peer addresses do
    /// not. (The sample for party 2 also lacks the peers' `mpc_identity`: real drift in the corpus.)
    @Test("two parties of the same network: party-local values differ, peer addresses do not")
    func partiesDiffer() throws {
        let one = Self.corpus.appendingPathComponent("core__service__config__default_1.toml").path
        let two = Self.corpus.appendingPathComponent("core__service__config__default_2.toml").path
        let report = try TreeComparison().compareFiles(reference: one, current: two)
        let paths = report.files.flatMap(\.differences).map(\.path.description)
        #expect(paths.contains("threshold.my_id"))
        #expect(paths.contains("threshold.peers[party_id=1].mpc_identity"))
        #expect(!paths.contains { $0.hasSuffix(".address") || $0.hasSuffix(".port") && $0.contains("peers") })
    }
}
