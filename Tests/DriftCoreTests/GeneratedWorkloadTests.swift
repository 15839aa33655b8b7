import Foundation
import TOML
import TestSupport
import Testing

@testable import DriftCore

/// The seed's textual check (`grep -v '^#' | sort | diff`) reports drift for a reformatted
/// file and misses a key moved between tables. These tests show the semantic diff does
/// neither, on the generator's own workloads, in both config styles and several seeds.
@Suite("Generated workloads (gen_workload.py)")
struct GeneratedWorkloadTests {
    static let cases: [(style: String, party: Int, seed: Int)] = [
        ("guide", 1, 1), ("guide", 7, 2), ("guide", 13, 3),
        ("server", 1, 1), ("server", 5, 4), ("server", 12, 5),
    ]

    private func generate(_ arguments: [String], input: String? = nil) throws -> ProcessResult {
        guard let input else { return try WorkloadGenerator.run(arguments) }
        return try withTemporaryDirectory { directory in
            var arguments = arguments
            arguments.insert(try directory.write("in.toml", input), at: 1)
            return try WorkloadGenerator.run(arguments)
        }
    }

    @Test("a reformatted twin has no differences", arguments: cases)
    func reformatted(style: String, party: Int, seed: Int) throws {
        let config = try generate(["party", "--style", style, "--party", String(party)]).stdout
        let twin = try generate(["reformat", "--seed", String(seed)], input: config).stdout
        #expect(twin != config)
        let differences = ConfigDiff().differences(
            from: try parseTOML(config), to: try parseTOML(twin))
        #expect(differences.isEmpty, "reported \(differences.map(\.path.description))")
    }

    @Test("a drifted twin reports exactly the changed paths, no more", arguments: cases)
    func drifted(style: String, party: Int, seed: Int) throws {
        let config = try generate(["party", "--style", style, "--party", String(party)]).stdout
        let drift = try generate(["drift", "--changes", "4", "--seed", String(seed)], input: config)
        let reference = try parseTOML(config)
        let expected = try Self.expectedPaths(fromGeneratorLog: drift.stderr, reference: reference)
        let differences = ConfigDiff().differences(from: reference, to: try parseTOML(drift.stdout))
        #expect(Set(differences.map(\.path.description)) == expected)
        #expect(differences.count == expected.count)
        #expect(differences.allSatisfy { $0.kind == .changed || $0.kind == .typeChanged })
    }

    @Test("a key moved between tables is found (the textual check misses it)")
    func movedKeyIsFound() throws {
        let config = try generate(["party", "--style", "server"]).stdout
        let moved = config.replacingOccurrences(of: "timeout_secs = 360\n", with: "")
            .replacingOccurrences(of: "[threshold]\n", with: "[threshold]\ntimeout_secs = 360\n")
        // The seed's check compares sorted non-comment lines: identical here, so it sees nothing.
        let sortedLines = { (text: String) in
            text.split(separator: "\n").filter { !$0.hasPrefix("#") }.sorted()
        }
        #expect(sortedLines(config) == sortedLines(moved))
        let differences = ConfigDiff().differences(
            from: try parseTOML(config), to: try parseTOML(moved))
        #expect(
            differences.map(\.path.description).sorted() == [
                "service.timeout_secs", "threshold.timeout_secs",
            ])
        #expect(differences.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.added, .removed])
    }

    /// The generator logs paths like `["threshold", "peers", 10, "address"]`, where an integer is
    /// a position in an array of tables; the report names the item by its identity instead.
    static func expectedPaths(fromGeneratorLog log: String, reference: TOMLTable) throws -> Set<String> {
        let line = try #require(log.split(separator: "\n").last.map(String.init))
        let changes = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [[String: Any]])
        var paths = Set<String>()
        for change in changes {
            let parts = try #require(change["path"] as? [Any])
            var keyPath = KeyPath()
            var node: TOMLValue = .table(reference)
            for part in parts {
                if let key = part as? String {
                    keyPath = keyPath.appending(key: key)
                    node = try #require(node.tableValue?[key])
                } else if let position = part as? Int {
                    let array = try #require(node.arrayValue)
                    let item = try #require(array[position].tableValue)
                    if let id = item["party_id"] ?? item["name"] ?? item["id"],
                        let text = ArrayIdentityRules.identityText(of: id)
                    {
                        let key = item["party_id"] != nil ? "party_id" : item["name"] != nil ? "name" : "id"
                        keyPath = keyPath.appending(.identity(key: key, value: text))
                    } else {
                        keyPath = keyPath.appending(.position(position))
                    }
                    node = array[position]
                }
            }
            paths.insert(keyPath.description)
        }
        return paths
    }
}
