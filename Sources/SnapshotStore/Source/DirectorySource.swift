import FileSystem

/// Opens a file for reading its content, given the bytes of its absolute path (a name need not be
/// UTF-8). A seam for tests that need a read to fail the way it would for an unprivileged daemon
/// (tests run as root here, and root reads a chmod 000 file).
typealias FileOpener = @Sendable (_ absolutePath: [UInt8]) -> Result<Int32, ErrnoCode>

/// The default opener: never follows a symlink swapped in after `lstat`, never blocks on a FIFO.
let openForSnapshot: FileOpener = { OpenFile.forReadingNoFollow($0) }

/// The watched directory, walked by FileSystem's one ``DirectoryWalker`` through a ``PathFilter``
/// (`[watch] include` and `exclude`): every file, directory and symlink it admits, with its
/// `lstat` metadata as change stamp, so an unchanged file is never read again.
package struct DirectorySource: SnapshotSource {
    package let root: String
    package let filter: PathFilter
    /// Test seam: how files are opened for reading.
    var opener: FileOpener = openForSnapshot

    /// - Parameter root: the directory, as the user gave it (a trailing `/` is dropped, so both
    ///   spellings record the same root).
    package init(root: String, filter: PathFilter = .everything) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.filter = filter
    }

    package func checkUsable(storeFiles: [(what: String, path: String)]) throws {
        try WatchedDirectoryPolicy.check(directory: root, outputs: storeFiles)
        do {
            _ = try FileStatus.of(root)
        } catch {
            throw SnapshotStoreError.watchedDirectoryUnavailable(path: root, reason: error.description)
        }
    }

    package func forEachEntry(_ visit: (SnapshotEntry) throws -> Void) throws {
        do {
            try DirectoryWalker(root: root, filter: filter).walk { entry in
                try visit(snapshotEntry(entry))
            }
        } catch let unavailable as DirectoryWalker.RootUnavailable {
            throw SnapshotStoreError.watchedDirectoryUnavailable(
                path: unavailable.path, reason: unavailable.reason)
        } catch let refused as DirectoryWalker.RootRefused {
            throw SnapshotStoreError.watchedDirectoryRefused(path: refused.path, reason: refused.reason)
        }
    }

    private func snapshotEntry(_ entry: DirectoryWalker.Entry) -> SnapshotEntry {
        switch entry {
        case .directory(let path, let status):
            return SnapshotEntry(
                path: path, kind: .directory, attributes: Self.attributes(FileStatus(status)))
        case .regular(let path, let status):
            let root = root
            let opener = opener
            return SnapshotEntry(
                path: path, kind: .file(.onDisk { Self.openContent(path, under: root, opener: opener) }),
                attributes: Self.attributes(FileStatus(status)))
        case .symlink(let path, let status):
            let attributes = Self.attributes(FileStatus(status))
            do {
                let target = try SymbolicLink.target(of: DirectoryWalker.sourcePath(of: path, under: root))
                return SnapshotEntry(path: path, kind: .symlink(target: target), attributes: attributes)
            } catch {
                return SnapshotEntry(path: path, kind: .problem(errno: error.value), attributes: attributes)
            }
        case .special(let path, let type):
            return SnapshotEntry(path: path, kind: .skipped(type: type), attributes: .unexamined)
        case .failed(let path, let status, let code):
            return SnapshotEntry(
                path: path, kind: .problem(errno: code),
                attributes: status.map { Self.attributes(FileStatus($0)) } ?? .unexamined)
        }
    }

    /// Opens the file the walk listed and examines what was opened, which must still be a
    /// regular file.
    private static func openContent(_ path: String, under root: String, opener: FileOpener) -> OpenedContent {
        let descriptor: Int32
        switch opener(DirectoryWalker.sourcePath(of: path, under: root)) {
        case .failure(let code): return .failed(errno: code.value)
        case .success(let opened): descriptor = opened
        }
        let status: FileStatus
        do {
            status = try FileStatus.of(descriptor: descriptor)
        } catch {
            OpenFile.close(descriptor)
            return .failed(errno: error.value)
        }
        guard status.type == .regular else {
            OpenFile.close(descriptor)
            return .failed(
                errno: ErrnoCode.tryAgain.value,
                reason: "it stopped being a regular file while the snapshot was taken")
        }
        return .opened(descriptor: descriptor, attributes: attributes(status))
    }

    static func attributes(_ status: FileStatus) -> EntryAttributes {
        EntryAttributes(
            mode: status.permissions, owner: status.owner, group: status.group,
            stamp: ChangeStamp(
                size: status.size, modificationTimeNanoseconds: status.modificationTimeNanoseconds,
                changeTimeNanoseconds: status.changeTimeNanoseconds, inode: status.inode))
    }
}
