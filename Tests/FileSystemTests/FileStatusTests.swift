import FileSystem
import Foundation
import Glibc
import Testing

/// The file-status, descriptor, link and path helpers the snapshot store and restore call
/// instead of the C library.
@Suite("File status, exclusive creation, links and resolved paths")
struct FileStatusTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kms-drift-status-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("status of a file, a directory and a link, with or without following it; errno when absent")
    func status() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("twelve bytes".utf8).write(to: URL(fileURLWithPath: directory + "/f"))
        chmod(directory + "/f", 0o4640)
        symlink("f", directory + "/l")
        let file = try FileStatus.of(directory + "/f")
        #expect(file.type == .regular && file.size == 12 && file.permissions == 0o4640)
        #expect(file.owner == geteuid() && file.group == getegid())
        var raw = stat()
        lstat(directory + "/f", &raw)
        #expect(file.inode == UInt64(raw.st_ino))
        #expect(
            file.modificationTimeNanoseconds == Int64(raw.st_mtim.tv_sec) * 1_000_000_000
                + Int64(raw.st_mtim.tv_nsec))
        #expect(try FileStatus.of(directory + "/l").type == .regular)
        #expect(try FileStatus.of(directory + "/l", followingSymlinks: false).type == .symlink)
        #expect(try FileStatus.of(directory).type == .directory)
        #expect(throws: ErrnoCode(ENOENT)) { try FileStatus.of(directory + "/missing") }
        #expect(try SymbolicLink.target(of: Array((directory + "/l").utf8)) == Array("f".utf8))
        #expect(throws: ErrnoCode(EINVAL)) { try SymbolicLink.target(of: Array((directory + "/f").utf8)) }
        #expect(ResolvedPath.of(directory + "/sub/../l") == nil)
        #expect(ResolvedPath.of(directory + "/./l") == ResolvedPath.of(directory + "/f"))
    }

    @Test("an exclusive creation has exactly its mode, not the umask's, and never replaces anything")
    func createExclusively() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // 0o666 is what a umask (022 here) would cut: the mode is set, not masked. The process-wide
        // umask is left alone: tests run in parallel.
        let descriptor = try OpenFile.createExclusively(directory + "/key", mode: 0o666).get()
        #expect(POSIX.writeAll(descriptor, Array("k".utf8)) == 0)
        #expect(OpenFile.sync(descriptor) == nil)
        OpenFile.close(descriptor)
        #expect(try FileStatus.of(directory + "/key").permissions == 0o666)
        #expect(throws: ErrnoCode(EEXIST)) {
            try OpenFile.createExclusively(directory + "/key", mode: 0o600).get()
        }
        symlink("elsewhere", directory + "/link")
        let refused = OpenFile.createExclusively(directory + "/link", mode: 0o600)
        #expect(throws: ErrnoCode(EEXIST)) { try refused.get() }
        #expect(!FileManager.default.fileExists(atPath: directory + "/elsewhere"))
        OpenFile.remove(directory + "/key")
        #expect(throws: ErrnoCode(ENOENT)) { try FileStatus.of(directory + "/key") }
    }

    @Test("an anonymous file holds the bytes from its start and has no name")
    func anonymousFile() throws {
        let descriptor = try AnonymousFile.holding(Array("computed".utf8)).get()
        defer { OpenFile.close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 16)
        let read = buffer.withUnsafeMutableBytes { POSIX.readFully(descriptor, into: $0) }
        #expect(read.errno == 0)
        #expect(Array(buffer[..<read.count]) == Array("computed".utf8))
        #expect(try FileStatus.of(descriptor: descriptor).type == .regular)
    }
}
