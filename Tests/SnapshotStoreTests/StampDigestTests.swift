import Foundation
import Glibc
import TestSupport
import Testing

@testable import SnapshotStore

/// The digest of the walk kept with the latest snapshot: what most cycles compare instead of every
/// recorded state, when it is kept and forgotten, and that it never hides a change.
@Suite("Stamp digest of the latest snapshot", .temporaryDirectory)
struct StampDigestTests {
    static let options: SnapshotOptions = {
        var options = SnapshotOptions()
        options.onlyWhenChanged = true
        return options
    }()

    static func keptSnapshot(_ store: SnapshotStore) throws -> Int64? {
        try store.integer("SELECT snapshot_id FROM stamp_digest")
    }

    @Test("a snapshot keeps its walk's digest, and a cycle without one (an older store) keeps it again")
    func keptAndRebuilt() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a.toml", "threshold = 4\n")
        try temp.write("tree/sub/b.toml", "port = 1\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        let first = try store.takeSnapshot(of: temp.path("tree"), options: Self.options)
        #expect(try Self.keptSnapshot(store) == first.id.rawValue)

        // What a store written before schema 8 holds: no digest. The full comparison finds the
        // state unchanged, and keeps the digest for the next cycle.
        try store.database.execute("DELETE FROM stamp_digest")
        let again = try store.takeSnapshot(of: temp.path("tree"), options: Self.options)
        #expect(again.isUnchanged)
        #expect(try Self.keptSnapshot(store) == first.id.rawValue)

        let third = try store.takeSnapshot(of: temp.path("tree"), options: Self.options)
        #expect(third.isUnchanged)
        #expect(third.id == first.id)
        #expect(third.fileCount == again.fileCount)
        #expect(third.totalSize == again.totalSize)
        #expect(third.filesReused == again.filesReused)
        #expect(third.filesRead == 0)
    }

    @Test("a file touched without a change is read once, then found unchanged from its new stamps")
    func touchedFileReadOnce() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a.toml", "threshold = 4\n")
        try temp.write("tree/b.toml", "port = 1\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        let first = try store.takeSnapshot(of: temp.path("tree"), options: Self.options)
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        utimensat(AT_FDCWD, temp.path("tree/a.toml"), &times, 0)

        let touched = try store.takeSnapshot(of: temp.path("tree"), options: Self.options)
        #expect(touched.isUnchanged)
        #expect(touched.id == first.id)
        #expect(touched.filesRead == 1)
        let next = try store.takeSnapshot(of: temp.path("tree"), options: Self.options)
        #expect(next.isUnchanged)
        #expect(next.filesRead == 0)
        #expect(try store.listSnapshots().count == 1)
    }

    @Test(
        "every change is seen after cycles that kept the digest",
        arguments: ChangingTree.changes.filter { $0 != "touch" })
    func changesSeenAfterKeptDigest(_ change: String) throws {
        let tree = try ChangingTree(try TemporaryDirectory.current())
        let store = try SnapshotStore(path: tree.temp.path("history.db"))
        let first = try store.takeSnapshot(from: tree.source, options: Self.options)
        #expect(try store.takeSnapshot(from: tree.source, options: Self.options).isUnchanged)
        #expect(try Self.keptSnapshot(store) == first.id.rawValue)
        try tree.apply(change)
        let second = try store.takeSnapshot(from: tree.source, options: Self.options)
        #expect(!second.isUnchanged, "\(change)")
        #expect(second.id != first.id, "\(change)")
        #expect(try Self.keptSnapshot(store) == second.id.rawValue, "\(change)")
        #expect(try store.takeSnapshot(from: tree.source, options: Self.options).isUnchanged, "\(change)")
    }

    /// A directory source that counts its walks.
    final class CountingSource: SnapshotSource {
        let base: DirectorySource
        var walks = 0
        init(_ root: String) { base = DirectorySource(root: root) }
        var root: String { base.root }
        func forEachEntry(_ visit: (SnapshotEntry) throws -> Void) throws {
            walks += 1
            try base.forEachEntry(visit)
        }
    }

    @Test("a changed cycle walks the tree once: the writer records what the digest check walked")
    func changedCycleWalksOnce() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a.toml", "threshold = 4\n")
        try temp.write("tree/d/b.toml", "port = 1\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        let source = CountingSource(temp.path("tree"))
        let first = try store.takeSnapshot(from: source, options: Self.options)
        try temp.write("tree/d/b.toml", "port = 2\n")
        source.walks = 0
        let second = try store.takeSnapshot(from: source, options: Self.options)
        #expect(source.walks == 1)
        #expect(!second.isUnchanged)
        #expect(second.filesRead == 1)
        #expect(second.id != first.id)
        #expect(try store.contents(of: "d/b.toml", in: .id(second.id)) == Array("port = 2\n".utf8))
        #expect(try Self.keptSnapshot(store) == second.id.rawValue)
        source.walks = 0
        #expect(try store.takeSnapshot(from: source, options: Self.options).isUnchanged)
        #expect(source.walks == 1)
    }

    @Test("a file too big to store keeps no digest: each cycle still names it, from the recorded states")
    func oversizedFileKeepsNoDigest() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a.toml", "threshold = 4\n")
        try temp.write("tree/big.bin", [UInt8](repeating: 7, count: 4096))
        let store = try SnapshotStore(path: temp.path("history.db"))
        var options = Self.options
        options.maximumStoredFileSize = 1024
        let first = try store.takeSnapshot(of: temp.path("tree"), options: options)
        #expect(first.oversizedFiles == ["big.bin"])
        #expect(try Self.keptSnapshot(store) == nil)
        let again = try store.takeSnapshot(of: temp.path("tree"), options: options)
        #expect(again.isUnchanged)
        #expect(again.oversizedFiles == ["big.bin"])
        #expect(try Self.keptSnapshot(store) == nil)
    }

    @Test("a digest kept for another root, or for an older snapshot, is not used")
    func digestOfAnotherStateIgnored() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("one/a.toml", "threshold = 4\n")
        try temp.write("two/a.toml", "threshold = 4\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        let first = try store.takeSnapshot(of: temp.path("one"), options: Self.options)
        // The same files under another root: a new snapshot, not "unchanged".
        let other = try store.takeSnapshot(of: temp.path("two"), options: Self.options)
        #expect(!other.isUnchanged)
        #expect(other.id != first.id)
        // The digest of #1 put back while #2 is the latest: a walk of `one` is still a change.
        try store.database.execute("UPDATE stamp_digest SET snapshot_id = \(first.id.rawValue)")
        let back = try store.takeSnapshot(of: temp.path("one"), options: Self.options)
        #expect(!back.isUnchanged)
        #expect(back.id != other.id)
    }

    @Test("the digest covers each field it vouches for, and refuses what metadata cannot vouch for")
    func digestFields() {
        let stamp = ChangeStamp(
            size: 3, modificationTimeNanoseconds: 10, changeTimeNanoseconds: 11, inode: 12)
        let attributes = EntryAttributes(mode: 0o644, owner: 0, group: 0, stamp: stamp)
        func digest(_ entries: [SnapshotEntry]) -> [UInt8]? {
            var digest = StampDigest()
            for entry in entries { digest.add(entry) }
            return digest.finalized()
        }
        func file(_ attributes: EntryAttributes, _ path: String = "a") -> SnapshotEntry {
            SnapshotEntry(
                path: path, kind: .file(.onDisk(open: { .failed(errno: ENOENT) })), attributes: attributes)
        }
        let base = digest([file(attributes)])
        #expect(base != nil)
        var changed: [EntryAttributes] = []
        for change in 0..<7 {
            var other = attributes
            switch change {
            case 0: other.mode = 0o600
            case 1: other.owner = 1
            case 2: other.group = 1
            case 3: other.stamp?.size = 4
            case 4: other.stamp?.modificationTimeNanoseconds = 20
            case 5: other.stamp?.changeTimeNanoseconds = 21
            default: other.stamp?.inode = 22
            }
            changed.append(other)
        }
        for other in changed { #expect(digest([file(other)]) != base) }
        #expect(digest([file(attributes, "b")]) != base)
        #expect(digest([file(attributes), file(attributes, "b")]) != base)
        let linkA = SnapshotEntry(path: "l", kind: .symlink(target: Array("a".utf8)), attributes: attributes)
        let linkB = SnapshotEntry(path: "l", kind: .symlink(target: Array("b".utf8)), attributes: attributes)
        #expect(digest([linkA]) != digest([linkB]))
        let computedA = SnapshotEntry(
            path: "@e", kind: .file(.inMemory(Array("x".utf8))), attributes: .computed)
        let computedB = SnapshotEntry(
            path: "@e", kind: .file(.inMemory(Array("y".utf8))), attributes: .computed)
        #expect(digest([computedA]) != digest([computedB]))
        // Nothing to vouch with: a problem, a file without stamp, an entry without owner.
        #expect(
            digest([
                file(attributes),
                SnapshotEntry(path: "x", kind: .problem(errno: EACCES), attributes: .unexamined),
            ]) == nil)
        #expect(digest([file(EntryAttributes(mode: 0o644, owner: 0, group: 0, stamp: nil))]) == nil)
        #expect(digest([file(EntryAttributes(mode: 0o644, owner: nil, group: 0, stamp: stamp))]) == nil)
    }
}
