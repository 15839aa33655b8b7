import DriftCore
import SnapshotStore

/// A stored snapshot as a `ConfigTree`, so drift between snapshots, or between a snapshot and
/// a reference directory, goes through the same comparison as `kms-drift check`.
///
/// Holds the store it reads from: use it on the store's thread or queue only.
package struct SnapshotTree: ConfigTree {
    let store: SnapshotStore
    package let id: SnapshotID
    let records: [String: FileRecord]
    /// Set when the snapshot stands for a directory on disk (the watched directory).
    package let displayRoot: String?

    /// Loads the file list of `reference` (contents are read only when a comparison needs them).
    /// To look at the files that differ between two snapshots and nothing else, build the trees
    /// from ``SnapshotStore/differingRecords(_:_:)`` with the initialiser below.
    package init(store: SnapshotStore, reference: SnapshotReference, displayRoot: String? = nil) throws {
        self.store = store
        self.displayRoot = displayRoot
        self.id = try store.resolve(reference)
        var records: [String: FileRecord] = [:]
        for record in try store.files(in: .id(id)) { records[record.path] = record }
        self.records = records
    }

    /// A snapshot seen through records already loaded (for example by
    /// ``SnapshotStore/differingRecords(_:_:)``): only those files are listed, and contents are
    /// read when a comparison needs them.
    package init(
        store: SnapshotStore, id: SnapshotID, records: [String: FileRecord], displayRoot: String? = nil
    ) {
        self.store = store
        self.id = id
        self.records = records
        self.displayRoot = displayRoot
    }

    package var displayName: String { displayRoot ?? "snapshot \(id)" }

    /// `#12:path`, or the path under `displayRoot`: a cycle names the watched file as the
    /// operator knows it, and never with a snapshot number that changes every cycle.
    package func displayPath(of relativePath: String) -> String {
        guard let displayRoot else { return "\(id):\(relativePath)" }
        return displayRoot + "/" + relativePath
    }

    package func entries() throws(DriftCoreError) -> [String: TreeEntry] {
        var entries: [String: TreeEntry] = [:]
        for (path, record) in records {
            switch record.kind {
            case .regular:
                entries[path] = TreeEntry(
                    kind: .file, contentHash: record.contentHash?.hex, size: record.size,
                    mode: record.mode & 0o7777)
            case .symlink(let target):
                entries[path] = TreeEntry(kind: .symlink, note: target)
            case .unreadable(let reason), .vanished(let reason):
                entries[path] = TreeEntry(kind: .unreadable, note: reason)
            }
        }
        return entries
    }

    package func contents(of relativePath: String) throws(DriftCoreError) -> [UInt8] {
        do {
            return try store.contents(of: relativePath, in: .id(id))
        } catch {
            throw .unreadable(path: displayPath(of: relativePath), reason: "\(error)")
        }
    }
}
