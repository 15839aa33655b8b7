import Glibc

/// Removing what kms-drift itself created or rotates: best effort, the caller decides whether
/// a failure matters.
package enum FileRemoval {
    /// Removes the file (or symlink) at `path`; false when it could not be removed.
    @discardableResult
    package static func removeFile(_ path: String) -> Bool { unlink(path) == 0 }

    /// Removes the directory at `path` if it is empty; false otherwise.
    @discardableResult
    package static func removeEmptyDirectory(_ path: String) -> Bool { rmdir(path) == 0 }
}
