import FileSystem

/// Files kms-drift computed or fetched in the same cycle (`@effective/…`, `@live/…`, `@layers/…`):
/// recorded and compared like any file, with the fixed attributes of computed content
/// (``EntryAttributes/computed``), and never written back by a restore.
package struct ComputedFilesSource: SnapshotSource {
    package let root: String
    package let files: [VirtualFile]

    /// - Parameters:
    ///   - files: the computed files; those `filter` does not admit (``PathFilter/admitsComputedFile(_:)``:
    ///     `[watch] exclude` applies to them by their `@…` path) are left out.
    ///   - root: what a snapshot of these files alone records as its root.
    package init(files: [VirtualFile], filter: PathFilter = .everything, root: String = "@computed") {
        self.files = files.filter { filter.admitsComputedFile($0.path) }
        self.root = root
    }

    package func forEachEntry(_ visit: (SnapshotEntry) throws -> Void) throws {
        for file in files {
            try visit(
                SnapshotEntry(path: file.path, kind: .file(.inMemory(file.bytes)), attributes: .computed))
        }
    }
}
