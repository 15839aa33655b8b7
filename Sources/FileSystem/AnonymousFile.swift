import Glibc

/// A file with no name holding given bytes: what lets content computed in memory go through code
/// that reads descriptors (the snapshot store hashes and stores from one). It lives in the
/// temporary directory and disappears when its descriptor is closed.
package enum AnonymousFile {
    /// A descriptor (close-on-exec) positioned at the start of a file holding `bytes`; the caller
    /// closes it. Fails with the errno of the create, write or seek that failed.
    package static func holding(_ bytes: [UInt8]) -> Result<Int32, ErrnoCode> {
        guard let temporary = tmpfile() else { return .failure(ErrnoCode(errno)) }
        defer { fclose(temporary) }
        // A descriptor of its own, so closing the stream here leaves the caller's open.
        let descriptor = fcntl(fileno(temporary), F_DUPFD_CLOEXEC, 0)
        guard descriptor >= 0 else { return .failure(ErrnoCode(errno)) }
        let code = POSIX.writeAll(descriptor, bytes)
        guard code == 0 else {
            close(descriptor)
            return .failure(ErrnoCode(code))
        }
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            let code = errno
            close(descriptor)
            return .failure(ErrnoCode(code))
        }
        return .success(descriptor)
    }
}
