import Glibc

/// A log file written by appending whole records: each record is one `write` on an `O_APPEND`
/// descriptor, so concurrent writers never interleave inside a record and a reader never sees
/// half of one. Opened without following a symlink and without blocking (a FIFO does not hang
/// the writer); closed when released.
package final class AppendingFile {
    package let path: String
    package let descriptor: Int32

    /// Opens `path` for appending, creating it with `mode` when absent.
    package init(path: String, mode: mode_t) throws(ErrnoCode) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, mode)
        guard descriptor >= 0 else { throw ErrnoCode(errno) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Why a record was not appended whole.
    package enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case system(ErrnoCode)
        /// Fewer bytes were written than the record holds.
        case shortWrite

        package var description: String {
            switch self {
            case .system(let code): return code.description
            case .shortWrite: return "short write (disk full?)"
            }
        }
    }

    /// Appends `record` with one `write`.
    package func append(_ record: [UInt8]) throws(Failure) {
        let written = record.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
        guard written == record.count else { throw written < 0 ? .system(ErrnoCode(errno)) : .shortWrite }
    }
}
