import TOML
import TestSupport
import Testing

@testable import DriftCore

/// Parsing and diffing shorthands shared by the DriftCore tests.
enum Fixtures {
    static func diff(_ reference: String, _ current: String, ignoring: [String] = []) throws -> [Difference] {
        let patterns = try ignoring.map { try KeyPathPattern($0) }
        return ConfigDiff(ignoring: patterns).differences(
            from: try parseTOML(reference), to: try parseTOML(current))
    }
}
