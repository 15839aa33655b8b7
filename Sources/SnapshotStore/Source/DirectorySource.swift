import FileSystem
import Glibc

/// Opens a file for reading its content, given the bytes of its absolute path (a name need not be
/// UTF-8). A seam for tests that need a read to fail the way it would for an unprivileged daemon
/// (tests run as root here, and root reads a chmod 000 file).
typealias FileOpener = @Sendable (_ absolutePath: [UInt8]) -> Int32

/// The default opener: never follows a symlink swapped in after `lstat`, never blocks on a FIFO.
let openForSnapshot: FileOpener = { path in
    RawPath.withCString(path) { open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
}

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
        var status = stat()
        if stat(root, &status) != 0 {
            throw SnapshotStoreError.watchedDirectoryUnavailable(path: root, reason: POSIX.errorText(errno))
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
            return SnapshotEntry(path: path, kind: .directory, attributes: Self.attributes(status))
        case .regular(let path, let status):
            let root = root
            let opener = opener
            return SnapshotEntry(
                path: path, kind: .file(.onDisk { Self.openContent(path, under: root, opener: opener) }),
                attributes: Self.attributes(status))
        case .symlink(let path, let status):
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = RawPath.withCString(DirectoryWalker.sourcePath(of: path, under: root)) {
                readlink($0, &target, target.count - 1)
            }
            guard length >= 0 else {
                return SnapshotEntry(
                    path: path, kind: .problem(errno: errno), attributes: Self.attributes(status))
            }
            return SnapshotEntry(
                path: path, kind: .symlink(target: target[..<length].map { UInt8(bitPattern: $0) }),
                attributes: Self.attributes(status))
        case .special(let path, let type):
            return SnapshotEntry(path: path, kind: .skipped(type: type), attributes: .unexamined)
        case .failed(let path, let status, let code):
            return SnapshotEntry(
                path: path, kind: .problem(errno: code),
                attributes: status.map(Self.attributes) ?? .unexamined)
        }
    }

    /// Opens the file the walk listed and examines what was opened, which must still be a
    /// regular file.
    private static func openContent(_ path: String, under root: String, opener: FileOpener) -> OpenedContent {
        let descriptor = opener(DirectoryWalker.sourcePath(of: path, under: root))
        guard descriptor >= 0 else { return .failed(errno: errno) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            return .failed(errno: code)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            return .failed(
                errno: EAGAIN, reason: "it stopped being a regular file while the snapshot was taken")
        }
        return .opened(descriptor: descriptor, attributes: attributes(status))
    }

    static func attributes(_ status: stat) -> EntryAttributes {
        EntryAttributes(
            mode: UInt32(status.st_mode & 0o7777), owner: UInt32(status.st_uid), group: UInt32(status.st_gid),
            stamp: ChangeStamp(
                size: Int64(status.st_size), modificationTimeNanoseconds: nanoseconds(status.st_mtim),
                changeTimeNanoseconds: nanoseconds(status.st_ctim), inode: UInt64(status.st_ino)))
    }
}
