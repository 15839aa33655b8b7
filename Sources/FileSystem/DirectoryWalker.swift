import Glibc

/// Walks a directory tree with `lstat`, never following symlinks, one directory listing in memory at a
/// time, in name order so that snapshots list files deterministically.
public struct DirectoryWalker: Sendable {
    public enum Entry {
        case regular(path: String, status: stat)
        case symlink(path: String, status: stat)
        /// Socket, FIFO or device: reported, never recorded.
        case special(path: String, type: String)
        /// Listed by the parent, but `lstat` or `opendir` failed with `errno`.
        case failed(path: String, status: stat?, errno: Int32)
    }

    /// The watched directory itself cannot be listed: what the caller reports as its error.
    public struct RootUnavailable: Error, Sendable {
        public var path: String
        public var reason: String
    }

    public let root: String
    public let filter: PathFilter

    public init(root: String, filter: PathFilter) {
        self.root = root
        self.filter = filter
    }

    /// Visits every admitted entry under `root`, in byte order of names. Throws
    /// ``RootUnavailable`` when `root` itself cannot be listed, and whatever `visit` throws.
    public func walk(_ visit: (Entry) throws -> Void) throws {
        var rootStatus = stat()
        guard lstat(root, &rootStatus) == 0 else {
            throw RootUnavailable(path: root, reason: POSIX.errorText())
        }
        guard rootStatus.st_mode & S_IFMT == S_IFDIR else {
            throw RootUnavailable(path: root, reason: "it is not a directory")
        }
        let rootDescriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootDescriptor >= 0 else {
            throw RootUnavailable(path: root, reason: POSIX.errorText())
        }
        defer { close(rootDescriptor) }
        switch listDirectory(rootDescriptor) {
        case .failure(let code):
            throw RootUnavailable(path: root, reason: POSIX.errorText(code.value))
        case .success(let names):
            try visitChildren(names, of: rootDescriptor, relativeDirectory: "", visit)
        }
    }

    /// Children are examined relative to their directory's descriptor (`fstatat`, `openat`): the
    /// kernel does not walk the whole path again for each of ten thousand files, and a directory
    /// swapped for a symlink during the walk is not followed.
    private func visitChildren(
        _ names: [String], of directory: Int32, relativeDirectory: String, _ visit: (Entry) throws -> Void
    ) throws {
        for name in names {
            let relative = relativeDirectory.isEmpty ? name : relativeDirectory + "/" + name
            var status = stat()
            guard fstatat(directory, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else {
                let code = errno
                if filter.admitsFile(relative) {
                    try visit(.failed(path: relative, status: nil, errno: code))
                }
                continue
            }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                guard filter.admitsDirectory(relative) else { continue }
                let child = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else {
                    try visit(.failed(path: relative, status: status, errno: errno))
                    continue
                }
                defer { close(child) }
                switch listDirectory(child) {
                case .success(let children):
                    try visitChildren(children, of: child, relativeDirectory: relative, visit)
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

    /// The names in the directory open at `descriptor`, in byte order. The descriptor stays open.
    private func listDirectory(_ descriptor: Int32) -> Result<[String], ErrnoCode> {
        let duplicate = dup(descriptor)
        guard duplicate >= 0 else { return .failure(ErrnoCode(errno)) }
        guard let directory = fdopendir(duplicate) else {
            let code = errno
            close(duplicate)
            return .failure(ErrnoCode(code))
        }
        defer { closedir(directory) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { return .failure(ErrnoCode(errno)) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
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
