import Crypto
import FileSystem
import Foundation
import Glibc
import TestSupport
import Testing

@testable import SnapshotStore

/// Small files are read, hashed and compressed on worker threads and recorded later, in order.
@Suite("Contents prepared on worker threads are recorded as the walk found them", .temporaryDirectory)
struct ContentPipelineTests {
    @Test("problems keep the walk's order, whether a file fails to open or to read on a worker")
    func problemsInWalkOrder() throws {
        let temp = try TemporaryDirectory.current()
        // More files than the pipeline keeps in flight, so some are recorded while others wait.
        var expected: [String: [UInt8]] = [:]
        for directory in ["a", "b", "c", "d"] {
            for index in 0..<12 {
                let path = "\(directory)/f\(index).toml"
                let bytes =
                    Array("name = \"\(path)\"\n".utf8)
                    + Array(repeating: UInt8(ascii: "#"), count: index * 300)
                try temp.write("tree/" + path, bytes)
                expected[path] = bytes
            }
        }
        let big = (0..<(BlobStore.chunkSize + 4096)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        try temp.write("tree/c/big.bin", big)
        expected["c/big.bin"] = big
        // c/f2 is refused on this thread while c/f1's read is still in flight: its problem must still
        // come after c/f1's.
        let refusedOpen: Set = ["a/f3.toml", "c/f2.toml", "d/f0.toml"]
        let failedRead: Set = ["a/f7.toml", "b/f11.toml", "c/f1.toml"]
        let store = try SnapshotStore(path: temp.path("history.db"))
        // Tests run as root: an open refused as for the unprivileged daemon is injected, and a read that
        // fails comes from the kernel (a descriptor opened write-only: EBADF, on the worker).
        var source = DirectorySource(root: temp.path("tree"))
        source.opener = { raw in
            let path = String(decoding: raw, as: UTF8.self)
            if refusedOpen.contains(where: { path.hasSuffix("/tree/" + $0) }) {
                return .failure(ErrnoCode(EACCES))
            }
            let flags = failedRead.contains(where: { path.hasSuffix("/tree/" + $0) }) ? O_WRONLY : O_RDONLY
            let descriptor = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            return descriptor >= 0 ? .success(descriptor) : .failure(ErrnoCode(errno))
        }
        let result = try store.takeSnapshot(from: source)
        #expect(
            result.problems.map(\.path) == [
                "a/f3.toml", "a/f7.toml", "b/f11.toml", "c/f1.toml", "c/f2.toml", "d/f0.toml",
            ])
        let refused = FileKind.unreadable(reason: POSIX.errorText(EACCES))
        let unread = FileKind.unreadable(reason: POSIX.errorText(EBADF))
        #expect(result.problems.map(\.kind) == [refused, unread, unread, unread, refused, refused])
        #expect(result.fileCount == expected.count)
        #expect(result.filesRead == expected.count - refusedOpen.count - failedRead.count)
        for (path, bytes) in expected where !refusedOpen.contains(path) && !failedRead.contains(path) {
            #expect(try store.contents(of: path, in: .latest) == bytes, "\(path)")
            #expect(try store.file(path, in: .latest).contentHash?.bytes == Array(SHA256.hash(data: bytes)))
        }
        #expect(try store.verify().isEmpty)
    }

    @Test("a file longer than when it was examined is noticed, not cut short")
    func growthIsNoticed() throws {
        let temp = try TemporaryDirectory.current()
        let bytes = Array("key = \"value\"\n".utf8)
        let path = try temp.write("grown.toml", bytes)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        defer { close(descriptor) }
        guard case .grew = BlobStore.prepare(descriptor: descriptor, expectedSize: bytes.count - 1) else {
            Issue.record("a file longer than expected was prepared")
            return
        }
        #expect(lseek(descriptor, 0, SEEK_SET) == 0)
        guard
            case .prepared(let content) = BlobStore.prepare(descriptor: descriptor, expectedSize: bytes.count)
        else {
            Issue.record("a file of the expected size was not prepared")
            return
        }
        #expect(content.size == Int64(bytes.count))
        #expect(content.hash.bytes == Array(SHA256.hash(data: bytes)))
        #expect(content.chunk?.length == bytes.count)
    }
}
