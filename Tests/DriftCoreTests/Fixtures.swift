import TOML
import Testing

@testable import DriftCore

/// Parsing and diffing shorthands shared by the DriftCore tests.
enum Fixtures {
    static func parse(_ text: String, file: String = "test.toml") throws -> TOMLTable {
        try TOMLParser().parse(Array(text.utf8), fileName: file)
    }

    static func diff(_ reference: String, _ current: String, ignoring: [String] = []) throws -> [Difference] {
        let patterns = try ignoring.map { try KeyPathPattern($0) }
        return ConfigDiff(ignoring: patterns).differences(from: try parse(reference), to: try parse(current))
    }
}
