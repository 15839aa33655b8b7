import Glibc

/// Walks a directory tree with `lstat`, never following symlinks, one directory listing in memory at a
/// time, in name order so that snapshots list files deterministically.
struct DirectoryWalker {
    enum Entry {
        case regular(path: String, status: stat)
        case symlink(path: String, status: stat)
        /// Socket, FIFO or device: reported, never recorded.
        case special(path: String, type: String)
        /// Listed by the parent, but `lstat` or `opendir` failed with `errno`.
        case failed(path: String, status: stat?, errno: Int32)
    }

    let root: String
    let filter: PathFilter

    /// Visits every entry under `root`. Throws only when `root` itself cannot be listed.
    func walk(_ visit: (Entry) throws -> Void) throws {
        var rootStatus = stat()
        guard lstat(root, &rootStatus) == 0 else {
            throw SnapshotStoreError.watchedDirectoryUnavailable(path: root, reason: errnoDescription(errno))
        }
        guard rootStatus.st_mode & S_IFMT == S_IFDIR else {
            throw SnapshotStoreError.watchedDirectoryUnavailable(path: root, reason: "it is not a directory")
        }
        switch listDirectory(root) {
        case .failure(let code):
            throw SnapshotStoreError.watchedDirectoryUnavailable(
                path: root, reason: errnoDescription(code.value))
        case .success(let names):
            try visitChildren(names, relativeDirectory: "", visit)
        }
    }

    private func visitChildren(_ names: [String], relativeDirectory: String, _ visit: (Entry) throws -> Void)
        throws
    {
        for name in names {
            let relative = relativeDirectory.isEmpty ? name : relativeDirectory + "/" + name
            var status = stat()
            guard lstat(root + "/" + relative, &status) == 0 else {
                let code = errno
                if filter.admitsFile(relative) {
                    try visit(.failed(path: relative, status: nil, errno: code))
                }
                continue
            }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                guard filter.admitsDirectory(relative) else { continue }
                switch listDirectory(root + "/" + relative) {
                case .success(let children):
                    try visitChildren(children, relativeDirectory: relative, visit)
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

    private func listDirectory(_ path: String) -> Result<[String], ErrnoCode> {
        guard let directory = opendir(path) else { return .failure(ErrnoCode(errno)) }
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

/// An errno value usable as a `Result` failure.
struct ErrnoCode: Error {
    let value: Int32
    init(_ value: Int32) { self.value = value }
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

/// Include / exclude glob patterns (`fnmatch`, where `*` also crosses `/`) on relative paths.
struct PathFilter {
    var include: [String]
    var exclude: [String]

    func admitsFile(_ path: String) -> Bool {
        if exclude.contains(where: { matches($0, path) }) { return false }
        return include.isEmpty || include.contains(where: { matches($0, path) })
    }

    /// Directories are pruned by exclude patterns only: an include pattern such as `*.toml` must still
    /// reach files deep in the tree.
    func admitsDirectory(_ path: String) -> Bool {
        !exclude.contains(where: { matches($0, path) })
    }

    private func matches(_ pattern: String, _ path: String) -> Bool {
        fnmatch(pattern, path, 0) == 0
    }
}
