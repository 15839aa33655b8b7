import FileSystem
import Glibc

/// A file that appears at its path whole or not at all: written to a temporary file beside it
/// (mode 0600, created exclusively), fsynced, renamed over the path, and the directory fsynced,
/// so neither a crash nor a full disk leaves half an export where a backup is expected.
final class AtomicFile {
    let path: String
    let temporaryPath: String
    let descriptor: Int32
    private var committed = false

    init(path: String) throws(BackupError) {
        self.path = path
        let directory = Self.directory(of: path)
        // A bare name (`node.age`) has no slash: the whole path is the name.
        let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        var random = SystemRandomNumberGenerator()
        temporaryPath = directory + "/." + name + ".tmp-" + String(random.next() % 1_000_000_000, radix: 36)
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: POSIX.errorText()) }
    }

    /// Makes the file appear at `path`.
    func commit() throws(BackupError) {
        guard fsync(descriptor) == 0 else { throw .cannotWrite(path: path, reason: POSIX.errorText()) }
        guard rename(temporaryPath, path) == 0 else {
            throw .cannotWrite(path: path, reason: POSIX.errorText())
        }
        committed = true
        let directory = open(Self.directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    deinit {
        close(descriptor)
        if !committed { unlink(temporaryPath) }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
