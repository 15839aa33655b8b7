import Glibc

/// Walks a directory tree with `lstat`, never following symlinks, one directory listing in memory at a
/// time, in byte order of the names so that snapshots list files deterministically.
///
/// Paths are ``PathName`` keys, so a name that is not UTF-8 is visited (and later opened) by its
/// bytes. Special files are reported, never opened, and a directory on a kernel pseudo file system
/// (procfs, sysfs, …) mounted inside the tree is reported and not entered: its files look regular
/// but may never end.
///
/// A Kubernetes ConfigMap or Secret mount (the kubelet's atomic-writer layout: `..data` a symlink to
/// a timestamped `..2026_…` directory, each file a symlink through `..data`) is walked as its logical
/// view: the files of the directory `..data` points to, under their own names, and no `..`-prefixed
/// entry. So an update (a new timestamped directory and a swap of `..data`) is a change of the files'
/// contents, not files removed and added. Open such a file through ``sourcePath(of:under:)``.
package struct DirectoryWalker: Sendable {
    package enum Entry {
        /// A directory below the root, visited before its children.
        case directory(path: String, status: stat)
        case regular(path: String, status: stat)
        case symlink(path: String, status: stat)
        /// Socket, FIFO, device, or a pseudo file system mount: reported, never recorded or read.
        case special(path: String, type: String)
        /// Listed by the parent, but `lstat` or `opendir` failed with `errno`.
        case failed(path: String, status: stat?, errno: Int32)
    }

    /// The watched directory itself cannot be listed: what the caller reports as its error.
    package struct RootUnavailable: Error, Sendable {
        package var path: String
        package var reason: String
    }

    /// The watched directory is on a kernel pseudo file system: never read.
    package struct RootRefused: Error, Sendable {
        package var path: String
        package var reason: String
    }

    package let root: String
    package let filter: PathFilter
    /// Where the walk starts, relative to `root` (`""`: the root itself). Paths are still
    /// relative to `root`, so the filter sees them as in a walk of the whole tree: the daemon walks
    /// only a directory that was just created or moved in.
    package let subdirectory: String

    package init(root: String, filter: PathFilter, startingAt subdirectory: String = "") {
        self.root = root
        self.filter = filter
        self.subdirectory = subdirectory
    }

    /// Visits every admitted entry under `root`, in byte order of names. Throws
    /// ``RootUnavailable`` when `root` itself cannot be listed, and whatever `visit` throws.
    ///
    /// `root` itself may be a symlink to a directory (a Kubernetes ConfigMap mount's `..data`,
    /// `/etc/kms -> /srv/kms`): it is followed, the one link that is; below it none is.
    /// - Parameter entering: called with each admitted directory's relative path (`""` for the
    ///   root) before its entries are visited, for callers that act on directories (the daemon
    ///   puts an inotify watch on each).
    package func walk(entering: (String) throws -> Void = { _ in }, _ visit: (Entry) throws -> Void) throws {
        let top = subdirectory.isEmpty ? root : root + "/" + subdirectory
        var rootStatus = stat()
        // Only the configured root is followed when it is a link; a subdirectory never is.
        guard (subdirectory.isEmpty ? stat(top, &rootStatus) : lstat(top, &rootStatus)) == 0 else {
            throw RootUnavailable(path: top, reason: POSIX.errorText())
        }
        guard rootStatus.st_mode & S_IFMT == S_IFDIR else {
            throw RootUnavailable(path: top, reason: "it is not a directory")
        }
        let rootDescriptor = open(
            top, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (subdirectory.isEmpty ? 0 : O_NOFOLLOW))
        guard rootDescriptor >= 0 else {
            throw RootUnavailable(path: top, reason: POSIX.errorText())
        }
        defer { close(rootDescriptor) }
        if let fileSystem = PseudoFileSystem.name(of: rootDescriptor) {
            throw RootRefused(
                path: root,
                reason: "it is on \(fileSystem), a kernel pseudo file system whose files may never end; "
                    + "watch the directory that holds the configuration files")
        }
        switch listDirectory(rootDescriptor) {
        case .failure(let code):
            throw RootUnavailable(path: top, reason: POSIX.errorText(code.value))
        case .success(let names):
            try entering(subdirectory)
            try visitChildren(
                names, of: rootDescriptor, device: rootStatus.st_dev, relativeDirectory: subdirectory,
                entering,
                visit)
        }
    }

    /// Children are examined relative to their directory's descriptor (`fstatat`, `openat`): the
    /// kernel does not walk the whole path again for each of ten thousand files, and a directory
    /// swapped for a symlink during the walk is not followed.
    private func visitChildren(
        _ names: [[UInt8]], of directory: Int32, device: dev_t, relativeDirectory: String,
        _ entering: (String) throws -> Void,
        _ visit: (Entry) throws -> Void
    ) throws {
        var names = names
        if names.contains(Self.atomicWriterData), let data = openAtomicWriterData(directory) {
            defer { close(data) }
            if case .success(let dataNames) = listDirectory(data) {
                // The logical view: the data directory's files under the mount, then anything else a
                // person added beside them; the kubelet's `..` entries and its per-file links are hidden.
                try visitChildren(
                    dataNames, of: data, device: device, relativeDirectory: relativeDirectory, entering, visit
                )
                let shown = Set(dataNames)
                let dot = UInt8(ascii: ".")
                names = names.filter {
                    !($0.count >= 2 && $0[0] == dot && $0[1] == dot) && !shown.contains($0)
                }
            }
        }
        for name in names {
            let key = PathName.key(name)
            let relative = relativeDirectory.isEmpty ? key : relativeDirectory + "/" + key
            var status = stat()
            let listed = RawPath.withCString(name) { fstatat(directory, $0, &status, AT_SYMLINK_NOFOLLOW) }
            guard listed == 0 else {
                let code = errno
                if filter.admitsFile(relative) {
                    try visit(.failed(path: relative, status: nil, errno: code))
                }
                continue
            }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                guard filter.admitsDirectory(relative) else { continue }
                let child = RawPath.withCString(name) {
                    openat(directory, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                }
                guard child >= 0 else {
                    try visit(.failed(path: relative, status: status, errno: errno))
                    continue
                }
                defer { close(child) }
                if status.st_dev != device, let fileSystem = PseudoFileSystem.name(of: child) {
                    try visit(.special(path: relative, type: "\(fileSystem) mount, not entered"))
                    continue
                }
                try visit(.directory(path: relative, status: status))
                switch listDirectory(child) {
                case .success(let children):
                    try entering(relative)
                    try visitChildren(
                        children, of: child, device: status.st_dev, relativeDirectory: relative, entering,
                        visit)
                case .failure(let code):
                    try visit(.failed(path: relative, status: status, errno: code.value))
                }
            case S_IFREG:
                if filter.admitsFile(relative) { try visit(.regular(path: relative, status: status)) }
            case S_IFLNK:
                if filter.admitsFile(relative) { try visit(.symlink(path: relative, status: status)) }
            case let type:
                if filter.admitsFile(relative) {
                    try visit(.special(path: relative, type: describeFileType(type)))
                }
            }
        }
    }

    /// The name of the kubelet's atomic-writer link to the current data directory.
    package static let atomicWriterData: [UInt8] = Array("..data".utf8)

    /// The data directory of an atomic-writer mount, opened through `..data` (a symlink to a
    /// `..`-prefixed directory beside it), or nil when `directory` is not such a mount.
    private func openAtomicWriterData(_ directory: Int32) -> Int32? {
        var status = stat()
        let listed = RawPath.withCString(Self.atomicWriterData) {
            fstatat(directory, $0, &status, AT_SYMLINK_NOFOLLOW)
        }
        guard listed == 0, status.st_mode & S_IFMT == S_IFLNK else { return nil }
        var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = RawPath.withCString(Self.atomicWriterData) {
            readlinkat(directory, $0, &target, target.count - 1)
        }
        guard length > 2, target[0] == CChar(UInt8(ascii: ".")), target[1] == CChar(UInt8(ascii: ".")),
            !target[..<length].contains(CChar(UInt8(ascii: "/")))
        else { return nil }
        let data = RawPath.withCString(Self.atomicWriterData) {
            openat(directory, $0, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        return data >= 0 ? data : nil
    }

    /// The bytes of the path to open for the entry `relative` of a walk of `root`: `root/relative`,
    /// except that inside an atomic-writer mount it goes through `..data`
    /// (`mount/..data/kms-server.toml`), so it can be opened with `O_NOFOLLOW` and reads the file
    /// the walk listed.
    package static func sourcePath(of relative: String, under root: String) -> [UInt8] {
        var physical = Array(root.utf8)
        for component in PathName.bytes(relative).split(separator: UInt8(ascii: "/")) {
            var status = stat()
            let probe = physical + [UInt8(ascii: "/")] + atomicWriterData
            if RawPath.withCString(probe, { lstat($0, &status) }) == 0, status.st_mode & S_IFMT == S_IFLNK {
                physical = probe
            }
            physical += [UInt8(ascii: "/")] + component
        }
        return physical
    }

    /// The names in the directory open at `descriptor`, in byte order. The descriptor stays open.
    private func listDirectory(_ descriptor: Int32) -> Result<[[UInt8]], ErrnoCode> {
        let duplicate = dup(descriptor)
        guard duplicate >= 0 else { return .failure(ErrnoCode(errno)) }
        guard let directory = fdopendir(duplicate) else {
            let code = errno
            close(duplicate)
            return .failure(ErrnoCode(code))
        }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { return .failure(ErrnoCode(errno)) }
                break
            }
            // The name's bytes as the kernel gave them: not necessarily UTF-8.
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [UInt8(ascii: ".")] && name != [UInt8(ascii: "."), UInt8(ascii: ".")] {
                names.append(name)
            }
        }
        return .success(names.sorted { $0.lexicographicallyPrecedes($1) })
    }
}

private func describeFileType(_ type: mode_t) -> String {
    switch type {
    case S_IFSOCK: return "socket"
    case S_IFIFO: return "FIFO"
    case S_IFCHR: return "character device"
    case S_IFBLK: return "block device"
    default: return "unknown file type"
    }
}
