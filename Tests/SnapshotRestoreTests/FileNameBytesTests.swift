import FileSystem
import Foundation
import Glibc
import TestSupport
import Testing

@testable import SnapshotRestore
@testable import SnapshotStore

/// File names are bytes: a name that is not UTF-8 is recorded, seen to change and restored
/// byte-identical, never reported as vanished.
@Suite("File names that are not UTF-8", .temporaryDirectory)
struct FileNameBytesTests {
    /// `bad\xff.toml`, a Latin-1 `é`, and a valid name with a backslash.
    static let names: [[UInt8]] = [
        Array("bad".utf8) + [0xff] + Array(".toml".utf8),
        Array("caf".utf8) + [0xe9] + Array(".pem".utf8),
        Array("back\\slash.toml".utf8),
    ]

    private func create(_ directory: String, _ name: [UInt8], _ content: String) throws {
        let descriptor = RawPath.withCString(Array(directory.utf8) + [UInt8(ascii: "/")] + name) {
            open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let bytes = Array(content.utf8)
        #expect(write(descriptor, bytes, bytes.count) == bytes.count)
    }

    private func names(in directory: String) -> Set<[UInt8]> {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var result = Set<[UInt8]>()
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != [0x2e] && name != [0x2e, 0x2e] { result.insert(name) }
        }
        return result
    }

    @Test("recorded as files, changes seen, restored with the same bytes")
    func roundTrip() throws {
        let temp = try TemporaryDirectory.current()
        let tree = temp.path("tree")
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        for name in Self.names { try create(tree, name, "v = 1\n") }
        let linkTarget = Array("target-".utf8) + [0xfe]
        let linked = RawPath.withCString(linkTarget) { target in
            RawPath.withCString(Array((tree + "/link").utf8)) { symlink(target, $0) }
        }
        #expect(linked == 0)

        let store = try SnapshotStore(path: temp.path("history.db"))
        let first = try store.takeSnapshot(of: tree)
        #expect(first.problems.isEmpty, "\(first.problems)")
        let recorded = try store.files(in: .latest)
        #expect(Set(recorded.map(\.path)) == ["bad\\xff.toml", "caf\\xe9.pem", "back\\\\slash.toml", "link"])
        #expect(recorded.allSatisfy { $0.kind != .vanished(reason: "No such file or directory") })
        #expect(try store.contents(of: "bad\\xff.toml", in: .latest) == Array("v = 1\n".utf8))

        try create(tree, Self.names[0], "v = 2\n")
        let second = try store.takeSnapshot(of: tree)
        #expect(second.filesRead == 1)
        let differing = try store.differingPaths(.id(first.id), .id(second.id))
        #expect(differing == ["bad\\xff.toml"], "\(differing)")

        let report = try SnapshotRestorer(store: store).restore(.id(first.id), into: temp.path("out"))
        #expect(report.isComplete)
        #expect(names(in: temp.path("out")) == Set(Self.names + [Array("link".utf8)]))
        var target = [CChar](repeating: 0, count: 256)
        let length = readlink(temp.path("out/link"), &target, 255)
        #expect(target[..<max(length, 0)].map { UInt8(bitPattern: $0) } == linkTarget)
        let restored = RawPath.withCString(Array(temp.path("out").utf8) + [0x2f] + Self.names[0]) {
            open($0, O_RDONLY)
        }
        defer { close(restored) }
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(Array(buffer[..<read(restored, &buffer, 16)]) == Array("v = 1\n".utf8))
    }
}
