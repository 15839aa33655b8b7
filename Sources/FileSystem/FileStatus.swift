import Glibc

/// What `stat`, `lstat` or `fstat` says about a file, as Swift values: for code that records or
/// compares metadata (the snapshot store, restore) without calling the C library itself.
package struct FileStatus: Sendable, Equatable {
    /// The kinds of file kms-drift tells apart.
    package enum FileType: Sendable, Equatable {
        case regular, directory, symlink
        /// A socket, FIFO or device.
        case special
    }

    package var type: FileType
    /// The permission bits, setuid, setgid and sticky included (`st_mode & 0o7777`).
    package var permissions: UInt32
    package var owner: UInt32
    package var group: UInt32
    package var size: Int64
    package var modificationTimeNanoseconds: Int64
    package var changeTimeNanoseconds: Int64
    package var inode: UInt64

    package init(_ status: stat) {
        switch status.st_mode & S_IFMT {
        case S_IFREG: type = .regular
        case S_IFDIR: type = .directory
        case S_IFLNK: type = .symlink
        default: type = .special
        }
        permissions = UInt32(status.st_mode & 0o7777)
        owner = UInt32(status.st_uid)
        group = UInt32(status.st_gid)
        size = Int64(status.st_size)
        modificationTimeNanoseconds =
            Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        changeTimeNanoseconds = Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec)
        inode = UInt64(status.st_ino)
    }

    /// The status of `path`; with `followingSymlinks` false, of a symlink itself (`lstat`).
    package static func of(_ path: String, followingSymlinks: Bool = true) throws(ErrnoCode) -> FileStatus {
        try of(Array(path.utf8), followingSymlinks: followingSymlinks)
    }

    /// The status of the path whose exact bytes are `path` (a name need not be UTF-8).
    package static func of(_ path: [UInt8], followingSymlinks: Bool = true) throws(ErrnoCode) -> FileStatus {
        var status = stat()
        let result = RawPath.withCString(path) { followingSymlinks ? stat($0, &status) : lstat($0, &status) }
        guard result == 0 else { throw ErrnoCode(errno) }
        return FileStatus(status)
    }

    /// The status of the file open at `descriptor`.
    package static func of(descriptor: Int32) throws(ErrnoCode) -> FileStatus {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ErrnoCode(errno) }
        return FileStatus(status)
    }
}
