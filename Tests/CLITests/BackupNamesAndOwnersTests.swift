import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Names that are not UTF-8 and owners that are not the user running kms-drift, through
/// `export` → GNU `tar -x` → `import` → `restore`: every name keeps its bytes (directory, file
/// and link target), every file, link and directory its mode, owner and group; the imported
/// snapshot's chain agrees with the independent `scripts/chain_v1.py`.
@Suite(
    "kms-drift export and import: names that are not UTF-8, owners and directories", .temporaryDirectory,
    .enabled(if: geteuid() == 0, "chown needs root (the tests run as root in CI)"))
struct BackupNamesAndOwnersTests {
    /// `conf\xfe/` (0750, 1003:1004) holding `bad\xff.toml` (0640, 1001:1002), a link
    /// `current` (1005:1006) to it, and `node.toml`: relative byte path → bytes to write.
    static let directoryName: [UInt8] = Array("conf".utf8) + [0xfe]
    static let fileName: [UInt8] = directoryName + [0x2f] + Array("bad".utf8) + [0xff] + Array(".toml".utf8)

    static func makeTree(_ root: String) throws {
        let base = Array(root.utf8) + [0x2f]
        try #require(mkdir(root, 0o755) == 0 && chmod(root, 0o755) == 0)
        try #require(withPath(base + directoryName) { mkdir($0, 0o755) } == 0)
        try writeBytes(base + fileName, Array("threshold = 4\n".utf8))
        try writeBytes(base + Array("node.toml".utf8), Array("port = 50001\n".utf8))
        try #require(
            withPath(fileName) { target in withPath(base + Array("current".utf8)) { symlink(target, $0) } }
                == 0)
        try #require(withPath(base + fileName) { chown($0, 1001, 1002) } == 0)
        try #require(withPath(base + fileName) { chmod($0, 0o640) } == 0)
        try #require(withPath(base + Array("current".utf8)) { lchown($0, 1005, 1006) } == 0)
        try #require(withPath(base + directoryName) { chown($0, 1003, 1004) } == 0)
        try #require(withPath(base + directoryName) { chmod($0, 0o750) } == 0)
    }

    @Test("export, tar -x, import and restore keep the bytes of every name, and every owner and mode")
    func namesAndOwnersRoundTrip() throws {
        let temp = try TemporaryDirectory.current()
        let tree = temp.path("tree")
        try Self.makeTree(tree)
        let original = try Self.inventory(tree)
        // What the tree holds, so that the comparisons below cannot pass on an empty walk.
        #expect(original.count == 4)
        #expect(original[Self.hex(Self.directoryName)] == "dir 750 1003:1004")
        #expect(original[Self.hex(Self.fileName)]?.hasPrefix("file 640 1001:1002 ") == true)
        #expect(original[Self.hex(Array("current".utf8))] == "link 1005:1006 \(Self.hex(Self.fileName))")
        #expect(
            original[Self.hex(Array("node.toml".utf8))]?.hasPrefix("file 644 \(geteuid()):\(getegid()) ")
                == true)

        let database = temp.path("history.db")
        let snapshot = try CLI.run(["snapshot", "--dir", tree, "--db", database])
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        let export = temp.path("node.tar")
        let exported = try CLI.run([
            "export", "latest", "--output", export, "--no-compress", "--db", database,
        ])
        #expect(exported.status == 0, "\(exported.stderr)")

        // GNU tar reads the same names, owners and modes back (as root it keeps owners).
        let extracted = try temp.makeDirectory("extracted").path
        let tar = try runProcess("/usr/bin/env", ["tar", "-x", "-f", export, "-C", extracted])
        #expect(tar.status == 0, "\(tar.stderr)")
        var fromTar = try Self.inventory(extracted)
        #expect(fromTar.removeValue(forKey: Self.hex(Array("kms-drift-manifest.json".utf8))) != nil)
        #expect(fromTar == original)

        // Imported into another store: the chain checks, here and by the independent script.
        let other = temp.path("other.db")
        let imported = try CLI.run(["import", export, "--db", other])
        #expect(imported.status == 0, "\(imported.stderr)")
        let verify = try CLI.run(["verify", "--db", other])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let script = try runProcess(
            "/usr/bin/env",
            ["python3", TestPaths.packageRoot.appendingPathComponent("scripts/chain_v1.py").path, other])
        #expect(script.status == 0, "\(script.stdout)\(script.stderr)")

        let restored = temp.path("restored")
        let restore = try CLI.run(["restore", "latest", "--to", restored, "--db", other])
        #expect(restore.status == 0, "\(restore.stdout)\(restore.stderr)")
        #expect(try Self.inventory(restored) == original)
    }

    // MARK: - Byte-level helpers (FileManager cannot hold a name that is not UTF-8)

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func withPath<T>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try (bytes + [0]).withUnsafeBufferPointer {
            try $0.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    static func writeBytes(_ path: [UInt8], _ content: [UInt8]) throws {
        let descriptor = withPath(path) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        try #require(write(descriptor, content, content.count) == content.count)
        // Explicitly: another test of this process may have set a stricter umask meanwhile.
        try #require(fchmod(descriptor, 0o644) == 0)
    }

    /// Everything under `root` by the hex of its relative path's bytes: kind, mode, owner and
    /// group, and a file's content hash or a link's target bytes in hex.
    static func inventory(_ root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        try walk(Array(root.utf8), relative: [], into: &result)
        return result
    }

    private static func walk(_ root: [UInt8], relative: [UInt8], into result: inout [String: String]) throws {
        let directory = root + (relative.isEmpty ? [] : [0x2f] + relative)
        let stream = try #require(withPath(directory) { opendir($0) })
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name == [0x2e] || name == [0x2e, 0x2e] { continue }
            let path = relative.isEmpty ? name : relative + [0x2f] + name
            let full = root + [0x2f] + path
            var status = stat()
            try #require(withPath(full) { lstat($0, &status) } == 0)
            let owner = "\(status.st_uid):\(status.st_gid)"
            let mode = String(status.st_mode & 0o7777, radix: 8)
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                result[hex(path)] = "dir \(mode) \(owner)"
                try walk(root, relative: path, into: &result)
            case S_IFLNK:
                var target = [CChar](repeating: 0, count: 4096)
                let length = withPath(full) { readlink($0, &target, target.count) }
                try #require(length >= 0)
                result[hex(path)] = "link \(owner) \(hex(target[..<length].map { UInt8(bitPattern: $0) }))"
            case S_IFREG:
                let content = try readAll(full)
                result[hex(path)] = "file \(mode) \(owner) \(hex(content))"
            default:
                result[hex(path)] = "other"
            }
        }
    }

    private static func readAll(_ path: [UInt8]) throws -> [UInt8] {
        let descriptor = withPath(path) { open($0, O_RDONLY | O_CLOEXEC) }
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            try #require(count >= 0)
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return bytes
    }
}
