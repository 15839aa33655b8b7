import Foundation
import Glibc
import TestSupport
import Testing

@testable import SnapshotStore

@Suite("Content addressing, incremental snapshots and rotation", .temporaryDirectory)
struct DeduplicationTests {
    @Test("the same content in 3 files and 3 snapshots is one blob")
    func sameContentStoredOnce() throws {
        let temp = try TemporaryDirectory.current()
        let content = Array(String(repeating: "threshold = 4\n", count: 100).utf8)
        for name in ["a.toml", "b/a.toml", "c/d/a.toml"] { try temp.write("tree/" + name, content) }
        let store = try SnapshotStore(path: temp.path("history.db"))
        for _ in 0..<3 { try store.takeSnapshot(of: temp.path("tree")) }
        // The snapshots are identical: later ones touch no file at all.
        let hash = try #require(try store.file("a.toml", in: .latest).contentHash)
        #expect(try store.integer("SELECT count(*) FROM blobs") == 1)
        #expect(try store.integer("SELECT count(*) FROM blob_chunks") == 1)
        #expect(
            try store.integer(
                "SELECT count(*) FROM entries e JOIN file_states s ON s.id = e.state_id WHERE s.kind <> 4")
                == 9)
        // The two directories, each recorded once and held by the three snapshots.
        #expect(try store.integer("SELECT count(*) FROM file_states WHERE kind = 4") == 3)
        #expect(try store.contents(hash: hash) == content)
        // Compressible text is stored compressed.
        #expect(try store.integer("SELECT encoding FROM blob_chunks") == ChunkEncoding.zstd.rawValue)
    }

    @Test("random binary is stored raw, text compressed")
    func compressionOnlyWhenItPays() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/key.bin", randomBytes(50_000))
        let store = try SnapshotStore(path: temp.path("history.db"))
        try store.takeSnapshot(of: temp.path("tree"))
        #expect(try store.integer("SELECT encoding FROM blob_chunks") == ChunkEncoding.raw.rawValue)
        #expect(try store.integer("SELECT length(data) FROM blob_chunks") == 50_000)
    }

    @Test("an unchanged tree is not read again; touching one file reads one")
    func incremental() throws {
        let temp = try TemporaryDirectory.current()
        for index in 0..<20 { try temp.write("tree/dir\(index % 4)/file\(index).toml", "value = \(index)\n") }
        let store = try SnapshotStore(path: temp.path("history.db"))
        let first = try store.takeSnapshot(of: temp.path("tree"))
        #expect(first.filesRead == 20)
        #expect(first.filesReused == 0)
        let second = try store.takeSnapshot(of: temp.path("tree"))
        #expect(second.filesRead == 0)
        #expect(second.filesReused == 20)
        try temp.write("tree/dir1/file5.toml", "value = 500\n")
        let third = try store.takeSnapshot(of: temp.path("tree"))
        #expect(third.filesRead == 1)
        #expect(third.filesReused == 19)
        #expect(try store.contents(of: "dir1/file5.toml", in: .latest) == Array("value = 500\n".utf8))
        #expect(try store.contents(of: "dir1/file5.toml", in: .id(second.id)) == Array("value = 5\n".utf8))
    }

    @Test("rotation keeps the newest 10 plus baseline and pinned, and collects unheld blobs")
    func rotation() throws {
        let temp = try TemporaryDirectory.current()
        let store = try SnapshotStore(path: temp.path("history.db"))
        var ids: [SnapshotID] = []
        for version in 1...12 {
            try temp.write("tree/node.toml", "version = \(version)\n")
            ids.append(try store.takeSnapshot(of: temp.path("tree")).id)
        }
        try store.setBaseline(.id(ids[0]), reason: "agreed at the 2026-11 ceremony")
        let firstRotation = try store.rotate(keepNewest: 10)
        #expect(firstRotation.deletedSnapshots == [ids[1]])
        #expect(firstRotation.deletedBlobs == 1)
        #expect(try store.integer("SELECT count(*) FROM blobs") == 11)

        try store.pin(.id(ids[2]))
        var rotations: [RotationResult?] = []
        for version in 13...14 {
            try temp.write("tree/node.toml", "version = \(version)\n")
            let result = try store.takeSnapshot(
                of: temp.path("tree"), options: SnapshotOptions(keepNewest: 10))
            ids.append(result.id)
            rotations.append(result.rotation)
        }
        // #13 leaves #3 (pinned) and #4 among the 10 newest with the baseline; #14 pushes #4 out.
        #expect(rotations.map { $0?.deletedSnapshots } == [[], [ids[3]]])

        let listed = try store.listSnapshots()
        #expect(listed.map(\.id) == [ids[0], ids[2]] + ids[4...])
        #expect(listed.first?.isBaseline == true)
        #expect(listed.first?.baselineReason == "agreed at the 2026-11 ceremony")
        #expect(listed[1].isPinned)
        #expect(try store.resolve(.baseline) == ids[0])
        #expect(try store.resolve(.latest) == ids[13])
        #expect(try store.contents(of: "node.toml", in: .baseline) == Array("version = 1\n".utf8))
        // Nothing dangling after rotation: every blob is held, every state is in a snapshot.
        #expect(try store.integer("SELECT count(*) FROM blobs") == 12)
        #expect(
            try store.integer(
                "SELECT count(*) FROM file_states WHERE id NOT IN (SELECT state_id FROM entries)") == 0)
        #expect(try store.verify().isEmpty)

        try store.unpin(.id(ids[2]))
        #expect(try store.rotate().deletedSnapshots == [ids[2]])
        // Ids are never reused, so #N always means the same snapshot.
        try store.takeSnapshot(of: temp.path("tree"))
        #expect(try store.resolve(.latest).rawValue == 15)
    }

    @Test(
        "references parse as operators type them",
        arguments: [
            ("#12", SnapshotReference.id(SnapshotID(12))), ("12", .id(SnapshotID(12))), ("latest", .latest),
            ("baseline", .baseline),
        ])
    func referenceParsing(text: String, expected: SnapshotReference) {
        #expect(SnapshotReference(parsing: text) == expected)
    }

    @Test("unknown references are a clear error")
    func unknownReference() throws {
        let temp = try TemporaryDirectory.current()
        let store = try SnapshotStore(path: temp.path("history.db"))
        #expect(SnapshotReference(parsing: "#0") == nil)
        #expect(SnapshotReference(parsing: "yesterday") == nil)
        #expect(throws: SnapshotStoreError.self) { try store.resolve(.baseline) }
        #expect(throws: SnapshotStoreError.self) { try store.resolve(.id(SnapshotID(3))) }
    }
}

@Suite("Snapshot differences", .temporaryDirectory)
struct SnapshotDifferenceTests {
    @Test("unchanged files share states; touched, added and removed files are named")
    func differingPaths() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a.toml", "a = 1\n")
        try temp.write("tree/b.bin", [1, 2, 3])
        let store = try SnapshotStore(path: temp.path("h.db"))
        let first = try store.takeSnapshot(of: temp.path("tree")).id
        let second = try store.takeSnapshot(of: temp.path("tree")).id
        #expect(try store.differingPaths(.id(first), .id(second)).isEmpty)
        try temp.write("tree/a.toml", "a = 2\n")
        try temp.write("tree/c.txt", "new")
        let third = try store.takeSnapshot(of: temp.path("tree")).id
        #expect(try store.differingPaths(.id(second), .id(third)) == ["a.toml", "c.txt"])
        #expect(try store.differingPaths(.id(third), .id(second)) == ["a.toml", "c.txt"])
        // Each side's own record: the changed file on both sides, the added one on the new side only.
        let (old, new) = try store.differingRecords(.id(second), .id(third))
        #expect(Set(old.keys) == ["a.toml"])
        #expect(Set(new.keys) == ["a.toml", "c.txt"])
        #expect(try old["a.toml"]?.contentHash == store.file("a.toml", in: .id(second)).contentHash)
        #expect(try new["a.toml"]?.contentHash == store.file("a.toml", in: .id(third)).contentHash)
        #expect(old["a.toml"]?.contentHash != new["a.toml"]?.contentHash)
        try FileManager.default.removeItem(atPath: temp.path("tree/b.bin"))
        let fourth = try store.takeSnapshot(of: temp.path("tree")).id
        #expect(try store.differingPaths(.id(third), .id(fourth)) == ["b.bin"])
    }
}
