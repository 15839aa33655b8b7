import Glibc

/// A file that appears at its path whole or not at all, the one way kms-drift puts a file in
/// place (exports, `render --output`, metrics, published statements): written to a temporary
/// file beside it (a random name, created exclusively, so no other writer or attacker's link is
/// followed), given its final mode, fsynced, renamed over the path, and the directory fsynced,
/// so neither a crash nor a full disk leaves half a file where a whole one is expected.
package final class AtomicFile {
    /// Where the file appears on `commit()`.
    package let path: String
    /// The open temporary file: write to it (or use `write(_:)`), then `commit()`.
    package let descriptor: Int32
    let temporaryPath: String
    private var committed = false

    /// Creates the temporary file beside `path` with `mode` (exactly, whatever the umask).
    package init(path: String, mode: mode_t = 0o600) throws(AtomicFileError) {
        self.path = path
        let name = PathText.name(of: path)
        guard !name.isEmpty, name != ".", name != ".." else {
            throw AtomicFileError(path: path, reason: "the path names a directory, not a file")
        }
        var random = SystemRandomNumberGenerator()
        temporaryPath =
            PathText.directory(of: path) + "/." + name + ".tmp-"
            + String(random.next() % (1 << 48), radix: 36)
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw AtomicFileError(path: path, reason: POSIX.errorText()) }
        guard fchmod(descriptor, mode) == 0 else {
            throw AtomicFileError(path: path, reason: POSIX.errorText())
        }
    }

    /// Appends `bytes` to the temporary file.
    package func write(_ bytes: [UInt8]) throws(AtomicFileError) {
        let code = POSIX.writeAll(descriptor, bytes)
        guard code == 0 else { throw AtomicFileError(path: path, reason: POSIX.errorText(code)) }
    }

    /// Makes the file appear at `path`: fsync, rename, fsync of the directory.
    package func commit() throws(AtomicFileError) {
        guard fsync(descriptor) == 0 else { throw AtomicFileError(path: path, reason: POSIX.errorText()) }
        guard rename(temporaryPath, path) == 0 else {
            throw AtomicFileError(path: path, reason: POSIX.errorText())
        }
        committed = true
        let directory = open(PathText.directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    /// Writes `bytes` to `path` atomically with `mode`.
    package static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws(AtomicFileError) {
        let file = try AtomicFile(path: path, mode: mode)
        try file.write(bytes)
        try file.commit()
    }

    deinit {
        close(descriptor)
        if !committed { unlink(temporaryPath) }
    }
}

/// Why a file could not be put in place: the path and the errno meaning.
package struct AtomicFileError: Error, Equatable, Sendable, CustomStringConvertible {
    package var path: String
    package var reason: String

    package var description: String { "cannot write \(path): \(reason)" }
}
