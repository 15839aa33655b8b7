import Glibc

extension FilePermissions {
    /// Sets the permission bits of `path` (symlinks followed, as `chmod` does).
    package static func set(_ mode: UInt32, path: String) throws(ErrnoCode) {
        guard chmod(path, mode_t(mode)) == 0 else { throw ErrnoCode(errno) }
    }

    /// Sets the permission bits of the file open at `descriptor`.
    package static func set(_ mode: UInt32, descriptor: Int32) throws(ErrnoCode) {
        guard fchmod(descriptor, mode_t(mode)) == 0 else { throw ErrnoCode(errno) }
    }
}
