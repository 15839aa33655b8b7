import Age
import Backup
import DriftConfig
import Foundation
import SnapshotStore
import TestSupport
import Testing

@testable import DriftDaemon
@testable import DriftOperations

/// `[backup]` in the cycle: an encrypted export after each changed snapshot, none for an
/// unchanged one, rotation to `keep`, and a failure raised as an `error` event while the cycle
/// goes on (and `recovered` once the directory is back).
@Suite("The cycle's off-host backups", .temporaryDirectory)
struct CycleBackupTests {
    @Test(
        "written when the files changed, rotated to keep, a failure an error event that never stops the cycle"
    )
    func backups() throws {
        let directory = try TemporaryDirectory.current()
        let node = try directory.write("watched/kms-server.toml", "[service]\nlisten_port = 50100\n")
        let identity = AgeIdentity()
        var configuration = DriftConfiguration(
            watchedDirectory: directory.path("watched"), databasePath: directory.path("h.db"))
        configuration.backup = BackupSettings(
            directory: directory.path("offsite"), recipients: [identity.recipient], keep: 2)
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration, origin: .daemon)

        // The off-site mount is missing: the cycle still compares, and says why once.
        let missing = try cycle.run(on: store)
        #expect(missing.report != nil)
        #expect(missing.events.map(\.kind) == [.error])
        #expect(missing.events.first?.message?.contains("offsite") == true)
        #expect(try cycle.run(on: store).events.isEmpty, "the same failure is raised once")

        try directory.makeDirectory("offsite")
        let first = try cycle.run(on: store)
        #expect(first.events.map(\.kind) == [.recovered])
        // It says the backup recovered, not that the configuration is back to the reference.
        #expect(first.events.first?.recovered?.name == "backup")
        #expect(first.events.first.map { "\(EventLogLine.message(of: $0))" } == "the backup works again")
        guard case .written(let path, let removed) = first.backup else {
            Issue.record("no backup written: \(String(describing: first.backup))")
            return
        }
        #expect(removed.isEmpty)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path("offsite")) == [
                URL(fileURLWithPath: path).lastPathComponent
            ])
        #expect(try cycle.run(on: store).backup == .unchanged(path: path))

        for port in [50101, 50102, 50103] {
            try "[service]\nlisten_port = \(port)\n".write(toFile: node, atomically: true, encoding: .utf8)
            guard case .written = try cycle.run(on: store).backup else {
                Issue.record("a changed state was not backed up")
                return
            }
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: directory.path("offsite")).sorted()
        #expect(kept.count == 2)
        #expect(kept.allSatisfy { $0.hasSuffix(".tar.zst.age") })

        // Each one decrypts with the identity and imports, whole.
        for name in kept {
            let other = try SnapshotStore(path: directory.path("import-\(name).db"))
            let result = try SnapshotImporter.importSnapshot(
                from: directory.path("offsite/" + name), identities: [identity], into: other)
            #expect(result.snapshot.fileCount == 1)
        }
    }
}
