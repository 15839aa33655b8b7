import Glibc

/// Opening, syncing and closing files by descriptor, for code that streams through one (the
/// snapshot store hashes files from a descriptor; keys and databases are created exclusively).
package enum OpenFile {
    /// Opens the path whose exact bytes are `path` for reading: never through a symlink swapped
    /// in at its last component, never blocking on a FIFO, closed on exec. The caller closes it.
    package static func forReadingNoFollow(_ path: [UInt8]) -> Result<Int32, ErrnoCode> {
        let descriptor = RawPath.withCString(path) {
            open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        }
        return descriptor >= 0 ? .success(descriptor) : .failure(ErrnoCode(errno))
    }

    /// Creates `path` for writing with exactly `mode` (whatever the umask), failing with `EEXIST`
    /// when anything, a symlink included, is already there. The caller closes it.
    package static func createExclusively(_ path: String, mode: UInt32) -> Result<Int32, ErrnoCode> {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode_t(mode))
        guard descriptor >= 0 else { return .failure(ErrnoCode(errno)) }
        guard fchmod(descriptor, mode_t(mode)) == 0 else {
            let code = errno
            close(descriptor)
            return .failure(ErrnoCode(code))
        }
        return .success(descriptor)
    }

    /// Flushes the file's data to the disk; the errno when it failed.
    package static func sync(_ descriptor: Int32) -> ErrnoCode? {
        fsync(descriptor) == 0 ? nil : ErrnoCode(errno)
    }

    /// Moves back to the file's start, to read it again; the errno when it failed.
    package static func rewind(_ descriptor: Int32) -> ErrnoCode? {
        lseek(descriptor, 0, SEEK_SET) == 0 ? nil : ErrnoCode(errno)
    }

    package static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    /// Removes the file `path` (not a directory); best effort, for undoing a partial write.
    package static func remove(_ path: String) {
        unlink(path)
    }
}
