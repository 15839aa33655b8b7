import FileSystem
import Foundation
import Testing

/// The walker's logical view of a Kubernetes atomic-writer mount.
@Suite("Atomic-writer mounts are walked as their logical view")
struct AtomicWriterWalkTests {
    @Test func dataFilesUnderTheirNamesAndNoDotDotEntries() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kms-drift-walk-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let mount = root + "/secret"
        let data = "..2026_11_30_03_00_00.1"
        let manager = FileManager.default
        try manager.createDirectory(atPath: mount + "/" + data + "/certs", withIntermediateDirectories: true)
        try "a = 1\n".write(
            toFile: mount + "/" + data + "/kms-server.toml", atomically: false, encoding: .utf8)
        try "pem\n".write(toFile: mount + "/" + data + "/certs/ca.pem", atomically: false, encoding: .utf8)
        try manager.createSymbolicLink(atPath: mount + "/..data", withDestinationPath: data)
        try manager.createSymbolicLink(
            atPath: mount + "/kms-server.toml", withDestinationPath: "..data/kms-server.toml")
        try manager.createSymbolicLink(atPath: mount + "/certs", withDestinationPath: "..data/certs")
        try "b = 2\n".write(toFile: root + "/plain.toml", atomically: false, encoding: .utf8)

        var listed: [String] = []
        try DirectoryWalker(root: root, filter: .everything).walk { entry in
            switch entry {
            case .regular(let path, _): listed.append("file " + path)
            case .symlink(let path, _): listed.append("link " + path)
            case .special(let path, _): listed.append("special " + path)
            case .directory(let path, _): listed.append("directory " + path)
            case .failed(let path, _, _): listed.append("failed " + path)
            }
        }
        #expect(
            listed == [
                "file plain.toml", "directory secret", "directory secret/certs", "file secret/certs/ca.pem",
                "file secret/kms-server.toml",
            ])
        let source = DirectoryWalker.sourcePath(of: "secret/kms-server.toml", under: root)
        #expect(source == Array((mount + "/..data/kms-server.toml").utf8))
        let descriptor = RawPath.withCString(source) { Glibc.open($0, O_RDONLY | O_NOFOLLOW) }
        #expect(descriptor >= 0)
        close(descriptor)
        #expect(
            DirectoryWalker.sourcePath(of: "plain.toml", under: root) == Array((root + "/plain.toml").utf8))
    }

    @Test func aDotDotDataLinkOutsideTheMountIsNotFollowed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kms-drift-walk-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // `..data` pointing elsewhere (not a `..` sibling) is not the kubelet's layout: listed as a link.
        try FileManager.default.createSymbolicLink(atPath: root + "/..data", withDestinationPath: "/etc")
        var listed: [String] = []
        try DirectoryWalker(root: root, filter: .everything).walk { entry in
            if case .symlink(let path, _) = entry { listed.append(path) }
        }
        #expect(listed == ["..data"])
    }
}
