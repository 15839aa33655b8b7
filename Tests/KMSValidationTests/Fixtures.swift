import Foundation
import TOML
import TestSupport

/// Parsing and corpus shorthands shared by the KMSValidation tests.
enum Fixtures {
    /// The `*.toml` file names of the KMS corpus (`shared/corpus/kms`), sorted.
    static var corpusTOMLFiles: [String] {
        let corpus = TestPaths.shared.appendingPathComponent("corpus/kms")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.sorted()
    }
}
