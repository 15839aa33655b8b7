import Glibc

/// A directory opened without following a symlink, and the entries below it changed relative to it
/// (`openat`, `mkdirat`, `renameat`, …): once a directory is open, a path component swapped for a
/// symlink or a file is refused (`ELOOP`, `ENOTDIR`), never followed. What restore writes with.
///
/// The handle owns its descriptor: call ``close()`` once, when done.
package struct DirectoryHandle: Sendable {
    package let descriptor: Int32

    private static let openFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC

    /// Creates the directory `path` with `mode`; one that already exists is not an error.
    package static func make(_ path: String, mode: UInt32) throws(ErrnoCode) {
        if mkdir(path, mode_t(mode)) != 0, errno != EEXIST { throw ErrnoCode(errno) }
    }

    /// Opens `path`; its last component must not be a symlink.
    package static func open(_ path: String) throws(ErrnoCode) -> DirectoryHandle {
        let descriptor = Glibc.open(path, openFlags)
        guard descriptor >= 0 else { throw ErrnoCode(errno) }
        return DirectoryHandle(descriptor: descriptor)
    }

    /// A second handle on the same directory, closed independently.
    package func duplicate() throws(ErrnoCode) -> DirectoryHandle {
        let copy = dup(descriptor)
        guard copy >= 0 else { throw ErrnoCode(errno) }
        return DirectoryHandle(descriptor: copy)
    }

    /// Opens the subdirectory `name` (one component, its exact bytes), never through a symlink.
    package func openChild(_ name: [UInt8]) throws(ErrnoCode) -> DirectoryHandle {
        let child = RawPath.withCString(name) { openat(descriptor, $0, Self.openFlags) }
        guard child >= 0 else { throw ErrnoCode(errno) }
        return DirectoryHandle(descriptor: child)
    }

    /// Creates the subdirectory `name` with `mode`; one that already exists is not an error.
    package func makeChild(_ name: [UInt8], mode: UInt32) throws(ErrnoCode) {
        if RawPath.withCString(name, { mkdirat(descriptor, $0, mode_t(mode)) }) != 0, errno != EEXIST {
            throw ErrnoCode(errno)
        }
    }

    /// True when the entry `name` exists and is a directory (not following a symlink).
    package func holdsDirectory(_ name: [UInt8]) -> Bool {
        var status = stat()
        return RawPath.withCString(name, { fstatat(descriptor, $0, &status, AT_SYMLINK_NOFOLLOW) }) == 0
            && status.st_mode & S_IFMT == S_IFDIR
    }

    /// Creates the symlink `name` pointing at `target` (exact bytes).
    package func makeSymlink(_ name: [UInt8], target: [UInt8]) throws(ErrnoCode) {
        let created = RawPath.withCString(target) { link in
            RawPath.withCString(name) { symlinkat(link, descriptor, $0) }
        }
        guard created == 0 else { throw ErrnoCode(errno) }
    }

    /// Gives the entry `name` (a symlink itself, not its target) an owner and group.
    package func changeOwner(ofEntry name: [UInt8], owner: UInt32, group: UInt32) throws(ErrnoCode) {
        let changed = RawPath.withCString(name) {
            fchownat(descriptor, $0, owner, group, AT_SYMLINK_NOFOLLOW)
        }
        guard changed == 0 else { throw ErrnoCode(errno) }
    }

    /// Creates the regular file `name` with `mode`, failing if anything (a symlink included) has
    /// that name; returns its descriptor, open for writing, for the caller to close.
    package func createFileExclusively(_ name: [UInt8], mode: UInt32) throws(ErrnoCode) -> Int32 {
        let file = RawPath.withCString(name) {
            openat(descriptor, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(mode))
        }
        guard file >= 0 else { throw ErrnoCode(errno) }
        return file
    }

    /// Renames the entry `from` to `to` within this directory, replacing what `to` was.
    package func rename(_ from: [UInt8], to: [UInt8]) throws(ErrnoCode) {
        let renamed = RawPath.withCString(from) { old in
            RawPath.withCString(to) { renameat(descriptor, old, descriptor, $0) }
        }
        guard renamed == 0 else { throw ErrnoCode(errno) }
    }

    /// Removes the non-directory entry `name`; best effort, for undoing a partial write.
    package func removeEntry(_ name: [UInt8]) {
        _ = RawPath.withCString(name) { unlinkat(descriptor, $0, 0) }
    }

    /// Makes the directory's entries (a rename into it) durable; best effort.
    package func sync() {
        _ = OpenFile.sync(descriptor)
    }

    package func close() {
        OpenFile.close(descriptor)
    }
}

extension OpenFile {
    /// Gives an open file an owner and group; the errno when it failed. (Changing the owner clears
    /// setuid and setgid: set the mode after.)
    package static func changeOwner(_ descriptor: Int32, owner: UInt32, group: UInt32) -> ErrnoCode? {
        fchown(descriptor, owner, group) == 0 ? nil : ErrnoCode(errno)
    }
}

extension ErrnoCode {
    /// The path changed kind under us: a symlink (`ELOOP` with `O_NOFOLLOW`) or a file (`ENOTDIR`)
    /// where a directory was.
    package var meansNotADirectoryAnyMore: Bool { value == ELOOP || value == ENOTDIR }
}
