import Glibc

/// The permission bits of a file, for checks such as "a private key readable by others".
package enum FilePermissions {
    /// The `st_mode & 0o7777` of `path` (symlinks followed, as a program opening it would).
    package static func of(_ path: String) throws(ErrnoCode) -> UInt32 {
        var status = stat()
        guard stat(path, &status) == 0 else { throw ErrnoCode(errno) }
        return UInt32(status.st_mode) & 0o7777
    }
}
