import Foundation
import TestSupport
import Testing

/// The history as an operator sees it: unchanged one-shots store nothing and `list` says when the
/// state was last checked; `list` names why each snapshot is kept; `baseline set` keeps the
/// previous baseline for `restore previous-baseline`.
@Suite("History commands: unchanged cycles, retention reasons, previous baseline", .temporaryDirectory)
struct HistoryCommandTests {
    struct Node {
        let directory: TemporaryDirectory
        var config: String { directory.path("kms-drift.toml") }

        init(store: String = "") throws {
            directory = try TemporaryDirectory.current()
            try directory.write("node/kms-server.toml", "[threshold]\nthreshold = 4\n")
            try directory.write(
                "kms-drift.toml",
                "[watch]\ndirectory = \"node\"\n[store]\ndatabase = \"history.db\"\n\(store)")
        }

        func run(_ arguments: [String]) throws -> ProcessResult {
            try CLI.run(arguments + ["--config", config])
        }

        func rows() throws -> [Substring] {
            try run(["list", "--no-status"]).stdout.split(separator: "\n").filter { $0.hasPrefix("#") }
        }
    }

    /// `list --format json`'s snapshots, newest first.
    static func listed(_ node: Node) throws -> [[String: Any]] {
        let output = try node.run(["list", "--format", "json", "--no-status"]).stdout
        let document = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        return document?["snapshots"] as? [[String: Any]] ?? []
    }

    @Test("twenty unchanged one-shots leave one snapshot; list says when it was checked")
    func twentyUnchangedOneShots() throws {
        let node = try Node()
        for index in 0..<20 {
            let result = try node.run(["snapshot"])
            #expect(result.status == 0, "\(result.stderr)")
            if index > 0 {
                #expect(result.stdout.contains("unchanged since snapshot #1"), "\(result.stdout)")
                #expect(result.stdout.contains("nothing stored"))
            }
        }
        #expect(try node.rows().count == 1)
        let list = try node.run(["list"]).stdout
        #expect(list.contains("unchanged since #1 (19 cycles found no change)"), "\(list)")
        #expect(list.contains("checked 20"))
        let snapshots = try Self.listed(node)
        #expect(snapshots.count == 1)
        #expect(snapshots.first?["unchanged_checks"] as? Int == 19)
        #expect((snapshots.first?["checked_at"] as? String)?.hasPrefix("20") == true)
        // A drifted state left as it is stays drifted: exit 1 every time, one snapshot for it.
        try node.directory.write("node/kms-server.toml", "[threshold]\nthreshold = 5\n")
        #expect(try node.run(["snapshot"]).status == 1)
        let again = try node.run(["snapshot"])
        #expect(again.status == 1)
        #expect(again.stdout.contains("unchanged since snapshot #2"))
        #expect(try node.rows().count == 2)
    }

    @Test("after 15 changes with keep = 10 and keep_daily, list shows the policy's snapshots with reasons")
    func retentionReasons() throws {
        let node = try Node(store: "keep = 10\nkeep_daily = 7\n")
        for change in 1...15 {
            try node.directory.write("node/kms-server.toml", "[threshold]\nthreshold = \(change)\n")
            let result = try node.run(["snapshot"])
            #expect(result.status <= 1, "\(result.stderr)")
        }
        let rows = try node.rows()
        // The baseline (#1, the first snapshot) and the newest ten, #6…#15.
        #expect(
            rows.map { $0.split(separator: " ").first.map(String.init) ?? "" } == [
                "#15", "#14", "#13", "#12", "#11", "#10", "#9", "#8", "#7", "#6", "#1",
            ])
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        #expect(rows[0].contains("newest 1/10, daily \(today)"), "\(rows[0])")
        #expect(rows[1].contains("newest 2/10") && !rows[1].contains("daily"))
        #expect(rows[10].contains("baseline") && !rows[10].contains("newest"))
        let snapshots = try Self.listed(node)
        #expect(snapshots.first?["kept_because"] as? [String] == ["newest 1/10", "daily \(today)"])
        #expect(snapshots.last?["kept_because"] as? [String] == ["baseline"])
    }

    @Test("restore previous-baseline gives back the state accepted before the last baseline set")
    func previousBaseline() throws {
        let node = try Node()
        #expect(try node.run(["snapshot"]).status == 0)  // #1, the baseline
        try node.directory.write("node/kms-server.toml", "[threshold]\nthreshold = 7\n")
        #expect(try node.run(["snapshot"]).status == 1)
        let set = try node.run(["baseline", "set", "latest", "--reason", "CHG-1"])
        #expect(set.status == 0)
        #expect(set.stdout.contains("the previous baseline #1 is kept"), "\(set.stdout)")
        // Many changes later, rotation (keep 10) has not taken it.
        for change in 10..<25 {
            try node.directory.write("node/kms-server.toml", "[threshold]\nthreshold = \(change)\n")
            _ = try node.run(["snapshot"])
        }
        #expect(try node.rows().contains { $0.hasPrefix("#1 ") && $0.contains("previous baseline") })
        let restored = try node.run(["restore", "previous-baseline"])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try node.directory.readText("node/kms-server.toml") == "[threshold]\nthreshold = 4\n")
    }
}
