import FileSystem
import Foundation
import Glibc
import Testing

@Suite("The one atomic file writer")
struct AtomicFileTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kms-drift-atomic-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("a path's parts as typed: a bare name lives in .")
    func pathText() {
        #expect(PathText.directory(of: "node.age") == ".")
        #expect(PathText.directory(of: "./node.age") == ".")
        #expect(PathText.directory(of: "sub/node.age") == "sub")
        #expect(PathText.directory(of: "/node.age") == "/")
        #expect(PathText.directory(of: "/var/backups/node.age") == "/var/backups")
        #expect(PathText.name(of: "node.age") == "node.age")
        #expect(PathText.name(of: "/var/backups/node.age") == "node.age")
        #expect(PathText.name(of: "sub/") == "")
    }

    @Test("the file appears whole with exactly its mode, whatever the umask, and no temporary is left")
    func writesWholeWithMode() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/metrics.prom"
        try AtomicFile.write(Array("old\n".utf8), to: path, mode: 0o644)
        try AtomicFile.write(Array("new\n".utf8), to: path, mode: 0o640)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["metrics.prom"])
    }

    @Test("an uncommitted file never appears, and its temporary file is removed")
    func uncommittedLeavesNothing() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let file = try AtomicFile(path: directory + "/export.tar.zst.age")
            try file.write(Array("half".utf8))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test("errors name the path and the errno meaning; a directory name is refused")
    func errors() throws {
        #expect {
            try AtomicFile.write([1], to: "/nonexistent-kms-drift/x", mode: 0o600)
        } throws: { error in
            "\(error)" == "cannot write /nonexistent-kms-drift/x: No such file or directory"
        }
        #expect {
            try AtomicFile.write([1], to: "sub/", mode: 0o600)
        } throws: { error in
            "\(error)" == "cannot write sub/: the path names a directory, not a file"
        }
    }
}
