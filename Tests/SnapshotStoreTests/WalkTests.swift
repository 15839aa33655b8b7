import FileSystem
import Foundation
import Glibc
import TestSupport
import Testing

@testable import SnapshotStore

@Suite("What a snapshot records", .temporaryDirectory)
struct WalkTests {
    @Test("vanished and unreadable files are recorded with their reason, never as removed")
    func vanishedAndUnreadable() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/ok.toml", "ok = true\n")
        try temp.write("tree/gone.toml", "gone = true\n")
        try temp.write("tree/secret.key", "k\n", mode: 0o000)
        let store = try SnapshotStore(path: temp.path("history.db"))
        // Tests run as root, and root reads a chmod 000 file; so the opener is replaced:
        // - for gone.toml it really deletes the file between the directory listing and open(), which is
        //   exactly the race of a file vanishing during the walk (the ENOENT comes from the kernel);
        // - for secret.key it fails the way open(2) fails for the unprivileged daemon (EACCES), injected.
        var source = DirectorySource(root: temp.path("tree"))
        source.opener = { raw in
            let path = String(decoding: raw, as: UTF8.self)
            if path.hasSuffix("/gone.toml") { unlink(path) }
            if path.hasSuffix("/secret.key") { return .failure(ErrnoCode(EACCES)) }
            return OpenFile.forReadingNoFollow(raw)
        }
        let result = try store.takeSnapshot(from: source)
        #expect(result.fileCount == 3)
        #expect(Set(result.problems.map(\.path)) == ["gone.toml", "secret.key"])
        let gone = try store.file("gone.toml", in: .latest)
        #expect(gone.kind == .vanished(reason: "No such file or directory"))
        let secret = try store.file("secret.key", in: .latest)
        #expect(secret.kind == .unreadable(reason: "Permission denied"))
        #expect(secret.contentHash == nil)
        #expect(throws: SnapshotStoreError.self) { try store.contents(of: "secret.key", in: .latest) }
    }

    @Test("sockets, FIFOs and devices are skipped and reported")
    func specialFilesSkipped() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/node.toml", "x = 1\n")
        #expect(mkfifo(temp.path("tree/pipe"), 0o600) == 0)
        let store = try SnapshotStore(path: temp.path("history.db"))
        let result = try store.takeSnapshot(of: temp.path("tree"))
        #expect(result.skipped == [SkippedEntry(path: "pipe", type: "FIFO")])
        #expect(try store.files(in: .latest).map(\.path) == ["node.toml"])
    }

    @Test("files above the size limit are recorded by hash only and reported")
    func oversizedFiles() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/small.toml", "x = 1\n")
        try temp.write("tree/huge.bin", randomBytes(5000))
        let store = try SnapshotStore(path: temp.path("history.db"))
        let result = try store.takeSnapshot(
            of: temp.path("tree"), options: SnapshotOptions(maximumStoredFileSize: 1000))
        #expect(result.oversizedFiles == ["huge.bin"])
        let huge = try store.file("huge.bin", in: .latest)
        #expect(huge.contentHash != nil)
        #expect(huge.isContentStored == false)
        #expect(huge.size == 5000)
        #expect(throws: SnapshotStoreError.self) { try store.contents(of: "huge.bin", in: .latest) }
        #expect(try store.contents(of: "small.toml", in: .latest) == Array("x = 1\n".utf8))
    }

    @Test("include and exclude patterns select relative paths")
    func includeExclude() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/node.toml", "x = 1\n")
        try temp.write("tree/sub/peer.toml", "x = 2\n")
        try temp.write("tree/sub/notes.txt", "n\n")
        try temp.write("tree/cache/c.toml", "x = 3\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        try store.takeSnapshot(
            from: DirectorySource(
                root: temp.path("tree"), filter: try PathFilter(include: ["*.toml"], exclude: ["cache"])))
        #expect(try store.files(in: .latest).map(\.path) == ["node.toml", "sub/peer.toml"])
    }

    @Test("metadata is recorded: mode, size, nanosecond mtime, inode")
    func metadata() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/node.toml", "port = 1\n", mode: 0o640)
        var status = stat()
        lstat(temp.path("tree/node.toml"), &status)
        let store = try SnapshotStore(path: temp.path("history.db"))
        try store.takeSnapshot(of: temp.path("tree"))
        let record = try store.file("node.toml", in: .latest)
        #expect(record.mode == 0o640)
        #expect(record.size == 9)
        #expect(record.inode == UInt64(status.st_ino))
        #expect(
            record.modificationTimeNanoseconds
                == Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec))
        let summary = try #require(try store.listSnapshots().first)
        #expect(summary.fileCount == 1)
        #expect(summary.totalSize == 9)
    }

    @Test("a missing watched directory is a clear error and records nothing")
    func missingWatchedDirectory() throws {
        let temp = try TemporaryDirectory.current()
        let store = try SnapshotStore(path: temp.path("history.db"))
        #expect {
            try store.takeSnapshot(of: temp.path("nope"))
        } throws: { error in
            guard case SnapshotStoreError.watchedDirectoryUnavailable(let path, let reason) = error else {
                return false
            }
            return path.hasSuffix("/nope") && reason == "No such file or directory"
        }
        #expect(try store.listSnapshots().isEmpty)
    }
}
