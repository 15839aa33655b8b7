import Foundation
import Glibc
import TestSupport
import Testing

@testable import SnapshotStore

/// The README's `sqlite3` recipe for a link's manifest and chain hashes, run verbatim (taken from
/// README.md, only the database path and the snapshot number replaced) against real stores: an
/// operator checking by hand must get exactly the stored hashes.
@Suite("the README's sqlite3 recipe for a link's hashes", .temporaryDirectory)
struct ChainRecipeTests {
    /// The two commands of the recipe (manifest hash, then chain hash), as the README prints them.
    static func recipe() throws -> String {
        let readme = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = try #require(readme.range(of: "With `sqlite3`, `sha256sum` and `openssl`"))
        let rest = readme[marker.upperBound...]
        let open = try #require(rest.range(of: "```\n"))
        let close = try #require(rest[open.upperBound...].range(of: "\n```"))
        let block = rest[open.upperBound..<close.lowerBound]
        let end = try #require(block.range(of: "sqlite3 kms-drift.db \"SELECT hex(chain_sha256)"))
        return String(block[..<end.lowerBound])
    }

    /// Runs the recipe for `snapshot` of `database`; returns the two hashes it prints.
    static func run(_ recipe: String, database: String, snapshot: SnapshotID) throws -> [String] {
        let commands = recipe.replacingOccurrences(of: "kms-drift.db", with: "'\(database)'")
            .replacingOccurrences(of: "snapshot_id = 12", with: "snapshot_id = \(snapshot.rawValue)")
        #expect(commands != recipe)
        let result = try runProcess("/bin/sh", ["-c", commands])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
    }

    @Test("with and without notes, fingerprints and metadata, the recipe gives the stored hashes")
    func recipeMatches() throws {
        let temp = try TemporaryDirectory.current()
        let store = try SnapshotStore(path: temp.path("history.db"))
        try temp.write("tree/kms-server.toml", "[threshold]\nmy_id = 1\n")
        try temp.write("tree/keys/party.key", randomBytes(40), mode: 0o600)
        #expect(symlink("kms-server.toml", temp.path("tree/current.toml")) == 0)
        let fingerprint = NetworkFingerprintSource(relativePath: "kms-server.toml") { _ in "fp:1234" }
        let cases: [SnapshotOptions] = [
            SnapshotOptions(metadata: .current(origin: .snapshot)),
            SnapshotOptions(
                metadata: .current(origin: .daemon, note: "CHG-7: é"), networkFingerprint: fingerprint),
            SnapshotOptions(metadata: .current(origin: .snapshot), networkFingerprint: fingerprint),
            SnapshotOptions(metadata: SnapshotMetadata(origin: .unknown)),
            SnapshotOptions(metadata: SnapshotMetadata(origin: .import, note: "only a note")),
        ]
        let recipe = try Self.recipe()
        for (index, options) in cases.enumerated() {
            try temp.write("tree/kms-server.toml", "[threshold]\nmy_id = \(index + 1)\n")
            let link = try #require(try store.takeSnapshot(of: temp.path("tree"), options: options).chain)
            let hashes = try Self.run(recipe, database: temp.path("history.db"), snapshot: link.snapshot)
            #expect(hashes == [link.manifestHash.hex, link.chainHash.hex], "case \(index): \(link.metadata)")
        }
    }
}
