#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Whether a path given on the command line is a directory or a file (links followed, as a
/// person typing a path expects).
public enum PathKind: Sendable, Equatable {
    case file
    case directory

    public static func of(_ path: String) throws(DriftCoreError) -> PathKind {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { throw .notFound(path: path) }
            throw .unreadable(path: path, reason: FileBytes.errnoDescription())
        }
        return (status.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }
}
