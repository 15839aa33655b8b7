import FileSystem

/// Whether a path given on the command line is a directory or a file (links followed, as a
/// person typing a path expects).
package enum PathKind: Sendable, Equatable {
    case file
    case directory

    package static func of(_ path: String) throws(DriftCoreError) -> PathKind {
        do {
            return try FileContents.isDirectory(path) ? .directory : .file
        } catch {
            if error.isNotFound { throw .notFound(path: path) }
            throw .unreadable(path: path, reason: POSIX.errorText(error.value))
        }
    }
}
