import FileSystem
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
        let file: AppendingFile
        do {
            file = try AppendingFile(path: path, mode: 0o600)
        } catch {
            throw .eventLog(path: path, reason: error.description)
        }
        let notice: String?
        do {
            notice = try OwnerOnlyFiles.tighten(descriptor: file.descriptor, path: path)
        } catch {
            throw .eventLog(path: path, reason: "\(error)")
        }
        do {
            try file.append(Array((line + "\n").utf8))
        } catch {
            throw .eventLog(path: path, reason: error.description)
        }
        return notice
    }
}
