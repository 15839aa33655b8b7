import Age
import FileSystem
import FoundationEssentials
import SnapshotStore

/// An export imported into a store of its own in a private temporary directory (0700), so
/// `restore --from` can put it back on a node without adding it to the node's history. The
/// directory and the store (which holds the export's files, private keys included) are removed
/// when this goes away.
package final class TemporaryImport {
    package let store: SnapshotStore
    package let result: ImportResult
    private let directory: String

    package init(from path: String, identities: [AgeIdentity], checks: ImportChecks = ImportChecks()) throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        do {
            directory = try PrivateTemporaryDirectory.create(in: base, namePrefix: "kms-drift-restore-")
        } catch {
            throw BackupError.cannotWrite(path: base, reason: error.description)
        }
        do {
            store = try SnapshotStore(path: directory + "/history.db")
            result = try SnapshotImporter.importSnapshot(
                from: path, identities: identities, into: store, checks: checks)
        } catch {
            Self.remove(directory)
            throw error
        }
    }

    deinit { Self.remove(directory) }

    private static func remove(_ directory: String) {
        for name in ["history.db", "history.db-wal", "history.db-shm"] {
            FileRemoval.removeFile(directory + "/" + name)
        }
        FileRemoval.removeEmptyDirectory(directory)
    }
}
