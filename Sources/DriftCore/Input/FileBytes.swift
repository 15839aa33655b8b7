import FileSystem

/// Reads whole files so that a failure names the path and the errno meaning ("Permission
/// denied", "Is a directory") instead of a generic error.
public enum FileBytes {
    /// The bytes of the file at `path`.
    public static func read(_ path: String) throws(DriftCoreError) -> [UInt8] {
        do {
            return try FileContents.read(path)
        } catch {
            throw .unreadable(path: path, reason: POSIX.errorText(error.value))
        }
    }

    /// The size of the file at `path` in bytes, or 0 when it cannot be examined (reading it
    /// will then report why).
    public static func size(of path: String) -> Int {
        FileContents.size(of: path) ?? 0
    }

    /// The target of the symlink at `path`.
    static func linkTarget(_ path: String) throws(ErrnoCode) -> String {
        try FileContents.linkTarget(path)
    }
}
