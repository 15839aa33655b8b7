import DriftConfig
import DriftCore
import Foundation
import SnapshotStore
import TestSupport
import Testing

@testable import DriftOperations

/// A Kubernetes ConfigMap mount, built as the kubelet's atomic writer builds it, watched by the
/// daemon's cycle against the GitOps directory it was rendered from.
@Suite("Kubernetes atomic-writer mounts")
struct AtomicWriterMountTests {
    static let reference = """
        [service]
        listen_address = "0.0.0.0"
        listen_port = 50100

        [threshold]
        threshold = 1
        my_id = 1
        """

    /// Writes a new timestamped data directory and swaps `..data` to it, as the kubelet does
    /// (`..data_tmp` renamed over `..data`), then removes the old data directory.
    static func publish(_ files: [String: String], in mount: String, generation: Int) throws {
        let manager = FileManager.default
        let data = "..2026_11_30_03_00_0\(generation).12345678\(generation)"
        try manager.createDirectory(atPath: mount + "/" + data, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: mount + "/" + data + "/" + name, atomically: false, encoding: .utf8)
        }
        let previous = try? manager.destinationOfSymbolicLink(atPath: mount + "/..data")
        try manager.createSymbolicLink(atPath: mount + "/..data_tmp", withDestinationPath: data)
        guard rename(mount + "/..data_tmp", mount + "/..data") == 0 else {
            throw CocoaError(.fileWriteUnknown)
        }
        for name in files.keys
        where (try? manager.destinationOfSymbolicLink(atPath: mount + "/" + name)) == nil {
            try manager.createSymbolicLink(atPath: mount + "/" + name, withDestinationPath: "..data/" + name)
        }
        if let previous { try manager.removeItem(atPath: mount + "/" + previous) }
    }

    @Test func mountEqualToGitOpsIsNoDriftAndAnUpdateIsTheChangedKeyPath() throws {
        try withTemporaryDirectory { directory in try check(in: directory) }
    }

    func check(in directory: TestSupport.TemporaryDirectory) throws {
        let gitops = directory.path("gitops")
        let mount = directory.path("mount")
        try FileManager.default.createDirectory(atPath: gitops, withIntermediateDirectories: true)
        try Self.reference.write(toFile: gitops + "/kms-server.toml", atomically: true, encoding: .utf8)
        // The same meaning, spelled differently, as Helm renders it.
        let rendered =
            Self.reference.replacingOccurrences(of: "50100", with: "50_100") + "\n# rendered by helm\n"
        try Self.publish(["kms-server.toml": rendered], in: mount, generation: 1)

        var configuration = DriftConfiguration(watchedDirectory: mount, databasePath: directory.path("h.db"))
        configuration.reference = .directory(gitops)
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration)

        let first = try cycle.run(on: store)
        #expect(first.report?.isClean == true, "the logical view of the mount equals the GitOps directory")
        #expect(first.snapshot.fileCount == 1)
        #expect(try DirectoryTree(root: mount).entries().keys.sorted() == ["kms-server.toml"])

        try Self.publish(
            ["kms-server.toml": rendered.replacingOccurrences(of: "my_id = 1", with: "my_id = 2")], in: mount,
            generation: 2)
        let updated = try cycle.run(on: store)
        let report = try #require(updated.report)
        #expect(report.files.map(\.path) == ["kms-server.toml"])
        #expect(report.files.first?.status == .changed)
        #expect(report.files.first?.differences.map(\.path.description) == ["threshold.my_id"])
        #expect(updated.events.map(\.kind) == [.drift])

        // The same check through `check DIR DIR`'s comparison.
        let direct = try TreeComparison().compare(paths: gitops, mount).report
        #expect(direct.files.first?.differences.map(\.path.description) == ["threshold.my_id"])
    }
}
