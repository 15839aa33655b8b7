import FileSystem
import Glibc
import SnapshotStore

/// The optional JSON-lines event log (`[log] json_file`): each event appended as one line with
/// one `write` on an `O_APPEND` descriptor, so concurrent writers (the daemon and a cron run)
/// never interleave inside a line and a reader never sees half an event.
package struct EventLogFile: Sendable {
    package let path: String

    package init(path: String) {
        self.path = path
    }

    /// Appends `line` and a newline; the file is created 0600 (events can name hosts and keys).
    /// An existing file readable by group or others is made owner-only first; the returned message
    /// says so, for the caller to log. One that cannot be is not written to.
    @discardableResult
    package func append(_ line: String) throws(AlertingError) -> String? {
        let descriptor = open(
            path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        guard descriptor >= 0 else { throw .eventLog(path: path, reason: POSIX.errorText()) }
        defer { close(descriptor) }
        let notice: String?
        do {
            notice = try OwnerOnlyFiles.tighten(descriptor: descriptor, path: path)
        } catch {
            throw .eventLog(path: path, reason: "\(error)")
        }
        let bytes = Array((line + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
        guard written == bytes.count else {
            throw .eventLog(path: path, reason: written < 0 ? POSIX.errorText() : "short write (disk full?)")
        }
        return notice
    }
}
