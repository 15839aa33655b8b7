import Glibc

/// Whole-file reads and the small `stat` questions DriftCore asks, with failures as errno codes
/// for the caller to word.
package enum FileContents {
    /// The bytes of the regular file at `path`, at most ``InputFile/defaultMaximumSize`` unless
    /// told otherwise (see ``InputFile``).
    package static func read(_ path: String, maximumSize: Int64 = InputFile.defaultMaximumSize)
        throws(InputFileError) -> [UInt8]
    {
        try InputFile.read(rawPath: Array(path.utf8), maximumSize: maximumSize)
    }

    /// The bytes of the regular file whose path is `rawPath` (a name need not be UTF-8; see
    /// ``PathName``), at most `maximumSize`.
    package static func read(rawPath: [UInt8], maximumSize: Int64 = InputFile.defaultMaximumSize)
        throws(InputFileError) -> [UInt8]
    {
        try InputFile.read(rawPath: rawPath, maximumSize: maximumSize)
    }

    /// A file the kernel generates (`/proc/PID/environ`, `/proc/sys/fs/inotify/…`), read on
    /// kms-drift's own behalf: user inputs refuse pseudo file systems, these reads need them.
    package static func readKernelFile(_ path: String, maximumSize: Int64 = 1 << 20) throws(InputFileError)
        -> [UInt8]
    {
        try InputFile.read(
            rawPath: Array(path.utf8), maximumSize: maximumSize, allowingPseudoFileSystem: true)
    }

    /// The size of the file at `path` (links followed), or `nil` when it cannot be examined.
    package static func size(of path: String) -> Int? {
        (try? FileStatus.of(path)).map { Int($0.size) }
    }

    /// Whether something exists at `path` (links followed).
    package static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Whether `path` (links followed) is a regular file; false when it cannot be examined.
    package static func isRegularFile(_ path: String) -> Bool {
        (try? FileStatus.of(path))?.type == .regular
    }

    /// The device and inode of `path` (links followed), which name a file whatever path leads to
    /// it; `nil` when it cannot be examined. (`FileStatus` has no device: only this needs it.)
    package static func identity(of path: String) -> (device: UInt64, inode: UInt64)? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino))
    }

    /// Whether `path` (links followed) is a directory; `ENOENT` and other failures are thrown.
    package static func isDirectory(_ path: String) throws(ErrnoCode) -> Bool {
        try FileStatus.of(path).type == .directory
    }

    /// The target of the symlink whose path is `rawPath`, as a ``PathName`` key: a snapshot records
    /// targets the same way, so the two compare equal byte for byte.
    package static func linkTarget(rawPath: [UInt8]) throws(ErrnoCode) -> String {
        PathName.key(try SymbolicLink.target(of: rawPath))
    }
}
