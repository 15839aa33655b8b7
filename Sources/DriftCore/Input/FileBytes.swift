import FileSystem

/// Reads whole files so that a failure names the path and the errno meaning ("Permission
/// denied", "Is a directory") instead of a generic error.
public enum FileBytes {
    /// The bytes of the regular file at `path`, at most `maximumSize` (see `InputFile`).
    public static func read(_ path: String, maximumSize: Int64 = InputFile.defaultMaximumSize)
        throws(DriftCoreError) -> [UInt8]
    {
        do {
            return try FileContents.read(path, maximumSize: maximumSize)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
    }

    /// The size of the file at `path` in bytes, or 0 when it cannot be examined (reading it
    /// will then report why).
    public static func size(of path: String) -> Int {
        FileContents.size(of: path) ?? 0
    }
}
