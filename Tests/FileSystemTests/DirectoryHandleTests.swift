import FileSystem
import Foundation
import Glibc
import Testing

/// Restore's writes relative to an open directory: a symlink put where a directory or a file was
/// is refused, never followed.
@Suite("Directory handles: writes relative to an open directory, never through a symlink")
struct DirectoryHandleTests {
    @Test("a child directory swapped for a symlink or a file is refused, not followed")
    func swappedChildIsRefused() throws {
        let root = try FileStatusTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
        try DirectoryHandle.make(root + "/target", mode: 0o700)
        try DirectoryHandle.make(root + "/target", mode: 0o700)  // already there: not an error
        let target = try DirectoryHandle.open(root + "/target")
        defer { target.close() }
        try target.makeChild(Array("sub".utf8), mode: 0o750)
        #expect(target.holdsDirectory(Array("sub".utf8)))
        #expect(try FileStatus.of(root + "/target/sub").permissions & ~0o750 == 0)

        #expect(symlink(root + "/outside", root + "/target/link") == 0)
        #expect(!target.holdsDirectory(Array("link".utf8)))
        // O_DIRECTORY | O_NOFOLLOW on a symlink: Linux says ENOTDIR (or ELOOP); never followed.
        let refused = #expect(throws: ErrnoCode.self) { try target.openChild(Array("link".utf8)) }
        #expect(refused?.meansNotADirectoryAnyMore == true)
        #expect(throws: ErrnoCode(EEXIST)) {
            try target.createFileExclusively(Array("link".utf8), mode: 0o600)
        }
        #expect(FileManager.default.fileExists(atPath: root + "/outside") == true)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: root + "/outside")) == [])

        let file = try target.createFileExclusively(Array(".tmp".utf8), mode: 0o600)
        #expect(POSIX.writeAll(file, Array("x\n".utf8)) == 0)
        OpenFile.close(file)
        try target.rename(Array(".tmp".utf8), to: Array("plain".utf8))
        #expect(throws: ErrnoCode(ENOTDIR)) { try target.openChild(Array("plain".utf8)) }
        #expect(try String(contentsOfFile: root + "/target/plain", encoding: .utf8) == "x\n")
        #expect(ErrnoCode(ELOOP).meansNotADirectoryAnyMore && ErrnoCode(ENOTDIR).meansNotADirectoryAnyMore)

        try target.makeSymlink(Array("l2".utf8), target: Array("plain".utf8))
        #expect(try SymbolicLink.target(of: Array((root + "/target/l2").utf8)) == Array("plain".utf8))
        target.removeEntry(Array("l2".utf8))
        #expect(throws: ErrnoCode(ENOENT)) {
            try FileStatus.of(root + "/target/l2", followingSymlinks: false)
        }
    }
}
