import FileSystem
import Glibc

/// The optional JSON-lines event log (`[log] json_file`): each event appended as one line with
/// one `write` on an `O_APPEND` descriptor, so concurrent writers (the daemon and a cron run)
/// never interleave inside a line and a reader never sees half an event.
public struct EventLogFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Appends `line` and a newline; the file is created 0600 (events can name hosts and keys).
    public func append(_ line: String) throws(AlertingError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .eventLog(path: path, reason: POSIX.errorText()) }
        defer { close(descriptor) }
        let bytes = Array((line + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
        guard written == bytes.count else {
            throw .eventLog(path: path, reason: written < 0 ? POSIX.errorText() : "short write (disk full?)")
        }
    }
}
