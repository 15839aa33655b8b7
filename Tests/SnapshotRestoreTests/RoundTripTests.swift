import Foundation
import Glibc
import TestSupport
import Testing

@testable import SnapshotRestore
@testable import SnapshotStore

@Suite("Snapshot and restore round trip", .temporaryDirectory)
struct RoundTripTests {
    @Test("a mixed tree restores byte- and mode-identical, symlinks included")
    func mixedTreeRoundTrip() throws {
        let temp = try TemporaryDirectory.current()
        let tree = try temp.subdirectory("tree")
        try tree.write("config/node.toml", "[service]\nlisten_port = 50100\n", mode: 0o600)
        try tree.write("bin/start.sh", "#!/bin/sh\nexec kms-server\n", mode: 0o755)
        try tree.write("empty", [UInt8](), mode: 0o644)
        try tree.write("keys/blob.bin", randomBytes(70_000), mode: 0o600)
        try tree.write(
            "big/three-chunks.bin", randomBytes(BlobStore.chunkSize * 2 + 123, seed: 7), mode: 0o640)
        try tree.write("big/text.log", Array(String(repeating: "line of text\n", count: 200_000).utf8))
        try tree.write("ünïcødé/名前.toml", "name = \"ü\"\n")
        try tree.write("with space/it's \"quoted\".txt", "spaces and quotes\n")
        try tree.write("a/b/c/d/deep.yaml", "deep: true\n")
        #expect(symlink("../config/node.toml", tree.path("a/link-to-node")) == 0)

        let store = try SnapshotStore(path: temp.path("history.db"))
        let result = try store.takeSnapshot(of: tree.path)
        #expect(result.fileCount == 10)
        #expect(result.problems.isEmpty)

        let restored = temp.path("restored")
        let report = try SnapshotRestorer(store: store).restore(.latest, into: restored)
        #expect(report.isComplete)
        #expect(report.written.filter { !$0.isDirectory }.count == 10)
        // Directories come back with their recorded mode, not 0700.
        #expect(report.written.filter(\.isDirectory).count == 10)
        for directory in try store.directories(in: .latest) {
            #expect(
                tree.mode(directory.path) == temp.mode("restored/" + directory.path),
                "mode of \(directory.path)")
        }

        let restoredTree = try FileManager.default.subpathsOfDirectory(atPath: restored)
        let originalTree = try FileManager.default.subpathsOfDirectory(atPath: tree.path)
        #expect(Set(restoredTree) == Set(originalTree))
        for record in try store.files(in: .latest) {
            let original = tree.path(record.path)
            let copy = restored + "/" + record.path
            var originalStatus = stat()
            var copyStatus = stat()
            #expect(lstat(original, &originalStatus) == 0)
            #expect(lstat(copy, &copyStatus) == 0)
            #expect(originalStatus.st_mode == copyStatus.st_mode, "mode of \(record.path)")
            if case .symlink(let target) = record.kind {
                #expect(target == "../config/node.toml")
                let restoredTarget = try FileManager.default.destinationOfSymbolicLink(atPath: copy)
                #expect(restoredTarget == target)
            } else {
                #expect(
                    FileManager.default.contentsEqual(atPath: original, andPath: copy),
                    "bytes of \(record.path)")
            }
        }
        #expect(try store.contents(of: "ünïcødé/名前.toml", in: .latest) == Array("name = \"ü\"\n".utf8))
    }

    @Test("restore of one subtree, and a dry run that writes nothing")
    func subtreeAndDryRun() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a/one.toml", "one = 1\n")
        try temp.write("tree/b/two.toml", "two = 2\n")
        #expect(chmod(temp.path("tree/b"), 0o750) == 0)
        let store = try SnapshotStore(path: temp.path("history.db"))
        try store.takeSnapshot(of: temp.path("tree"))
        let restorer = SnapshotRestorer(store: store)

        let plan = try restorer.plan(.latest, into: temp.path("dry"))
        #expect(plan.actions.map(\.path) == ["a", "a/one.toml", "b", "b/two.toml"])
        #expect(plan.isClean)
        #expect(access(temp.path("dry"), F_OK) != 0)

        let report = try restorer.restore(
            .latest, into: temp.path("out"), options: RestoreOptions(subtree: "b"))
        #expect(report.isComplete)
        #expect(try temp.read("out/b/two.toml") == Array("two = 2\n".utf8))
        #expect(access(temp.path("out/a"), F_OK) != 0)
        #expect(temp.mode("out/b") == 0o750)
    }

    @Test("restore refuses paths that would escape the target directory")
    func refusesEscapes() throws {
        for path in ["../etc/passwd", "/etc/passwd", "a/../../x", "a//b", "./a"] {
            #expect(throws: SnapshotStoreError.self) { try checkRelativePath(path) }
        }
        try checkRelativePath("a/b..c/d")

        let temp = try TemporaryDirectory.current()
        try temp.write("tree/conf/node.toml", "x = 1\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        try store.takeSnapshot(of: temp.path("tree"))
        // The target's `conf` is a symlink to a directory outside it: writing through it would escape.
        try FileManager.default.createDirectory(
            atPath: temp.path("outside"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: temp.path("target"), withIntermediateDirectories: true)
        #expect(symlink(temp.path("outside"), temp.path("target/conf")) == 0)
        let report = try SnapshotRestorer(store: store).restore(
            .latest, into: temp.path("target"), partial: true)
        #expect(report.written.isEmpty)
        #expect(report.notWritten.map(\.path) == ["conf", "conf/node.toml"])
        #expect(
            report.notWritten.allSatisfy {
                $0.reason.contains("symlink") || $0.reason.contains("not a directory")
            })
        #expect(access(temp.path("outside/node.toml"), F_OK) != 0)
    }
}
