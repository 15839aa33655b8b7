import DriftCore
import TestSupport
import Testing

@testable import KMSValidation

/// The 13 server-style party configs of `gen_workload.py`, generated once per test run.
enum PartyWorkload {
    static var configs: [String] {
        (try? GeneratedParties.serverConfigs.get()) ?? Array(repeating: "", count: 13)
    }

    static func file(_ party: Int, _ text: String? = nil) throws -> ConfigFile {
        let name = "party\(party).toml"
        return ConfigFile(path: name, root: try parseTOML(text ?? configs[party - 1], file: name))
    }

    /// All 13 parties, with the given party's text replaced.
    static func network(replacing changes: [Int: String] = [:]) throws -> [ConfigFile] {
        try (1...13).map { try file($0, changes[$0]) }
    }

    /// `text` with the first occurrence of `old` after `anchor` replaced by `new`.
    static func replacing(_ old: String, with new: String, after anchor: String, in text: String) -> String {
        guard let start = text.range(of: anchor),
            let match = text.range(of: old, range: start.upperBound..<text.endIndex)
        else { return text }
        return text.replacingCharacters(in: match, with: new)
    }
}
