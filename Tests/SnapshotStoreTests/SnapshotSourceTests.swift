import FileSystem
import Foundation
import Glibc
import TestSupport
import Testing

@testable import SnapshotStore

/// A source the store has never heard of, held in memory: files on "disk" are anonymous files
/// behind a change stamp, so the test sees whether the store opens them.
private struct InMemorySource: SnapshotSource {
    var root = "memory:node-3"
    var files: [String: (bytes: [UInt8], stamp: ChangeStamp)] = [:]
    var computed: [String: [UInt8]] = [:]
    var links: [String: [UInt8]] = [:]
    var directories: [String] = []
    var vanished: [String] = []
    var sockets: [String] = []
    /// How many times the store opened a file's content.
    let opens = OpenCount()

    func forEachEntry(_ visit: (SnapshotEntry) throws -> Void) throws {
        let owned = EntryAttributes(mode: 0o640, owner: 1000, group: 1000, stamp: nil)
        for path in directories.sorted() {
            var attributes = owned
            attributes.mode = 0o750
            try visit(SnapshotEntry(path: path, kind: .directory, attributes: attributes))
        }
        for (path, file) in files.sorted(by: { $0.key < $1.key }) {
            var attributes = owned
            attributes.stamp = file.stamp
            let bytes = file.bytes
            try visit(
                SnapshotEntry(
                    path: path,
                    kind: .file(
                        .onDisk {
                            opens.count += 1
                            switch AnonymousFile.holding(bytes) {
                            case .success(let descriptor):
                                return .opened(descriptor: descriptor, attributes: attributes)
                            case .failure(let code): return .failed(errno: code.value)
                            }
                        }), attributes: attributes))
        }
        for (path, bytes) in computed.sorted(by: { $0.key < $1.key }) {
            try visit(SnapshotEntry(path: path, kind: .file(.inMemory(bytes)), attributes: .computed))
        }
        for (path, target) in links.sorted(by: { $0.key < $1.key }) {
            try visit(SnapshotEntry(path: path, kind: .symlink(target: target), attributes: owned))
        }
        for path in vanished {
            try visit(SnapshotEntry(path: path, kind: .problem(errno: ENOENT), attributes: .unexamined))
        }
        for path in sockets {
            try visit(SnapshotEntry(path: path, kind: .skipped(type: "socket"), attributes: .unexamined))
        }
    }
}

/// Counts, across copies of the source.
private final class OpenCount {
    var count = 0
}

private func stamp(_ size: Int, modified: Int64) -> ChangeStamp {
    ChangeStamp(
        size: Int64(size), modificationTimeNanoseconds: modified, changeTimeNanoseconds: modified, inode: 42)
}

/// The store records whatever a ``SnapshotSource`` yields: a new kind of source needs no change in
/// the store, and the watched directory and computed files are two sources of one snapshot.
@Suite("Snapshot sources", .temporaryDirectory)
struct SnapshotSourceTests {
    @Test(
        "an in-memory source is recorded as it says: files, computed files, directories, links, problems, skips"
    )
    func inMemorySourceIsRecorded() throws {
        let temp = try TemporaryDirectory.current()
        let store = try SnapshotStore(path: temp.path("history.db"))
        var source = InMemorySource()
        let config = Array("[service]\nport = 50100\n".utf8)
        source.directories = ["etc"]
        source.files = ["etc/node.toml": (config, stamp(config.count, modified: 1_000))]
        source.computed = ["@effective/kms-server.toml": Array("x = 1\n".utf8)]
        source.links = ["current": Array("etc/node.toml".utf8)]
        source.vanished = ["etc/gone.toml"]
        source.sockets = ["run.sock"]
        let result = try store.takeSnapshot(from: source)

        #expect(result.fileCount == 4)
        #expect(result.filesRead == 2)
        #expect(result.skipped == [SkippedEntry(path: "run.sock", type: "socket")])
        #expect(result.problems.map(\.path) == ["etc/gone.toml"])
        #expect(try store.listSnapshots().map(\.rootPath) == ["memory:node-3"])
        let files = Dictionary(uniqueKeysWithValues: try store.files(in: .latest).map { ($0.path, $0) })
        #expect(
            Set(files.keys) == ["etc/node.toml", "@effective/kms-server.toml", "current", "etc/gone.toml"])
        let node = try #require(files["etc/node.toml"])
        #expect(node.kind == .regular)
        #expect(node.mode == 0o640 && node.owner == 1000 && node.group == 1000)
        #expect(node.modificationTimeNanoseconds == 1_000 && node.inode == 42)
        #expect(try store.contents(of: "etc/node.toml", in: .latest) == config)
        let computed = try #require(files["@effective/kms-server.toml"])
        #expect(computed.mode == 0o600 && computed.owner == 0 && computed.inode == 0)
        #expect(try store.contents(of: "@effective/kms-server.toml", in: .latest) == Array("x = 1\n".utf8))
        #expect(files["current"]?.kind == .symlink(target: "etc/node.toml"))
        #expect(files["etc/gone.toml"]?.kind == .vanished(reason: "No such file or directory"))
        #expect(try store.directories(in: .latest).map(\.path) == ["etc"])
        #expect(try store.verify().isEmpty)
    }

    @Test("a file whose change stamp is recorded is not opened again; one with a new stamp is")
    func stampedContentIsReused() throws {
        let temp = try TemporaryDirectory.current()
        let store = try SnapshotStore(path: temp.path("history.db"))
        var source = InMemorySource()
        source.files = [
            "a.toml": (Array("a = 1\n".utf8), stamp(6, modified: 1)),
            "b.toml": (Array("b = 1\n".utf8), stamp(6, modified: 1)),
        ]
        var options = SnapshotOptions()
        options.onlyWhenChanged = true
        let first = try store.takeSnapshot(from: source, options: options)
        #expect(first.filesRead == 2)
        #expect(source.opens.count == 2)

        let unchanged = try store.takeSnapshot(from: source, options: options)
        #expect(unchanged.isUnchanged)
        #expect(unchanged.id == first.id)
        #expect(source.opens.count == 2)

        source.files["b.toml"] = (Array("b = 2\n".utf8), stamp(6, modified: 2))
        let changed = try store.takeSnapshot(from: source, options: options)
        #expect(!changed.isUnchanged)
        #expect(changed.filesRead == 1)
        #expect(changed.filesReused == 1)
        #expect(source.opens.count == 3)
        #expect(try store.contents(of: "b.toml", in: .latest) == Array("b = 2\n".utf8))
    }

    @Test("the watched directory and computed files make one snapshot; exclude applies to computed paths")
    func directoryAndComputedFiles() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/node.toml", "threshold = 4\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        let filter = try PathFilter(include: [], exclude: ["@live"])
        func source(_ effective: String) -> CombinedSource {
            CombinedSource([
                DirectorySource(root: temp.path("tree") + "/", filter: filter),
                ComputedFilesSource(
                    files: [
                        VirtualFile(path: "@effective/kms-server.toml", bytes: Array(effective.utf8)),
                        VirtualFile(path: "@live/config.json", bytes: Array("{}".utf8)),
                    ], filter: filter),
            ])
        }
        var options = SnapshotOptions()
        options.onlyWhenChanged = true
        let first = try store.takeSnapshot(from: source("x = 1\n"), options: options)
        #expect(
            try store.files(in: .latest).map(\.path).sorted() == ["@effective/kms-server.toml", "node.toml"])
        // The directory's root, without its trailing slash, as for a walk alone.
        #expect(try store.listSnapshots().map(\.rootPath) == [temp.path("tree")])

        // Unchanged on disk and in memory: found so from metadata and the computed file's hash.
        let again = try store.takeSnapshot(from: source("x = 1\n"), options: options)
        #expect(again.isUnchanged)
        #expect(again.filesRead == 0)
        #expect(again.id == first.id)

        let changed = try store.takeSnapshot(from: source("x = 2\n"), options: options)
        #expect(!changed.isUnchanged)
        #expect(changed.filesRead == 1)
        #expect(try store.contents(of: "@effective/kms-server.toml", in: .latest) == Array("x = 2\n".utf8))
        #expect(try store.listSnapshots().count == 2)
    }

    @Test("a missing watched directory is refused before the store writes anything")
    func missingDirectoryIsRefused() throws {
        let temp = try TemporaryDirectory.current()
        let store = try SnapshotStore(path: temp.path("history.db"))
        let source = CombinedSource([
            DirectorySource(root: temp.path("nope")), ComputedFilesSource(files: []),
        ])
        #expect(throws: SnapshotStoreError.self) { try store.takeSnapshot(from: source) }
        #expect(try store.isEmpty())
    }
}
