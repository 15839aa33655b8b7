import Glibc

/// The two calls a ``DirectoryWalker`` makes on each listed name, relative to its directory's
/// descriptor: examining it without following a link, and opening it as a directory.
///
/// A seam for tests: they run as root, for whom nothing is unreadable, and need an entry to fail
/// the way it does for an unprivileged daemon. Both calls may run on several threads at once.
struct DirectoryEntryAccess: Sendable {
    /// `fstatat(directory, name, AT_SYMLINK_NOFOLLOW)`: the entry's status, or why it has none.
    var status: @Sendable (_ directory: Int32, _ name: [UInt8]) -> Result<stat, ErrnoCode>
    /// `openat(directory, name, O_DIRECTORY | O_NOFOLLOW)`: a descriptor the caller closes, or why
    /// the directory cannot be opened.
    var openDirectory: @Sendable (_ directory: Int32, _ name: [UInt8]) -> Result<Int32, ErrnoCode>

    init(
        status: @escaping @Sendable (_ directory: Int32, _ name: [UInt8]) -> Result<stat, ErrnoCode>,
        openDirectory: @escaping @Sendable (_ directory: Int32, _ name: [UInt8]) -> Result<Int32, ErrnoCode>
    ) {
        self.status = status
        self.openDirectory = openDirectory
    }

    /// The kernel's answers.
    static let system = DirectoryEntryAccess(
        status: { directory, name in
            var status = stat()
            let code = RawPath.withCString(name) { fstatat(directory, $0, &status, AT_SYMLINK_NOFOLLOW) }
            return code == 0 ? .success(status) : .failure(ErrnoCode(errno))
        },
        openDirectory: { directory, name in
            let descriptor = RawPath.withCString(name) {
                openat(directory, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            return descriptor >= 0 ? .success(descriptor) : .failure(ErrnoCode(errno))
        })
}
