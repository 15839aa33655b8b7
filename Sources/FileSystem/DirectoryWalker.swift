import Glibc

/// Walks a directory tree with `lstat`, never following symlinks, in byte order of the names so that
/// snapshots list files deterministically. Entries are examined on several threads, a batch of
/// directories ahead of the visit, so memory holds a few directory listings per level of the tree.
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
    package enum Entry: Sendable {
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
    /// How many threads examine entries at once: the online processors by default (`git status`
    /// stats its index on several threads too); 1 examines everything on the calling thread. The
    /// entries, their order and the calls to `visit` and `entering` (always on the calling thread)
    /// are the same whatever it is.
    package var parallelism = DirectoryWalker.onlineProcessors
    /// How each listed name is examined and opened: the kernel; a test seam (`@testable`).
    var access = DirectoryEntryAccess.system

    package init(root: String, filter: PathFilter, startingAt subdirectory: String = "") {
        self.root = root
        self.filter = filter
        self.subdirectory = subdirectory
    }

    /// The processors the kernel runs this process on now, at least 1.
    package static var onlineProcessors: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Visits every admitted entry under `root`, in byte order of names. Throws
    /// ``RootUnavailable`` when `root` itself cannot be listed, and whatever `visit` throws.
    ///
    /// `root` itself may be a symlink to a directory (a Kubernetes ConfigMap mount's `..data`,
    /// `/etc/kms -> /srv/kms`): it is followed, the one link that is; below it none is.
    ///
    /// Entries are examined ahead of their visit, several directories at once (a few per thread,
    /// see ``parallelism``), so memory holds a few directory listings per level of the tree, not
    /// the tree.
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
            let examined = examine(
                names, in: rootDescriptor, device: rootStatus.st_dev, relativeDirectory: subdirectory,
                sharing: true)
            defer { examined.closeDescriptors() }
            try visitExamined(examined, entering, visit)
        }
    }

    /// A directory's admitted entries, each examined, in the order the walk visits them. Its
    /// subdirectories are not opened yet.
    private struct ExaminedDirectory: Sendable {
        var items: [Item] = []
        /// Atomic-writer data directories the items are relative to, closed after their visit.
        var descriptors: [Int32] = []

        func closeDescriptors() {
            for descriptor in descriptors { close(descriptor) }
        }
    }

    private enum Item: Sendable {
        /// Visited as it is.
        case entry(Entry)
        /// A subdirectory the filter admits, named relative to `parent` on device `device`.
        case directory(path: String, status: stat, parent: Int32, name: [UInt8], device: dev_t)
    }

    /// A subdirectory, opened and examined ahead of its visit.
    private enum OpenedDirectory: Sendable {
        case notOpened(errno: Int32)
        case pseudoFileSystem(String)
        case notListed(errno: Int32)
        case listed(descriptor: Int32, ExaminedDirectory)

        /// Releases what was opened for a directory that will not be visited (the walk stopped).
        func close() {
            if case .listed(let descriptor, let examined) = self {
                Glibc.close(descriptor)
                examined.closeDescriptors()
            }
        }
    }

    /// Examines `names`, listed in the directory open at `directory`, relative to that descriptor
    /// (`fstatat`, `openat`): the kernel does not walk the whole path again for each of ten thousand
    /// files, and a directory swapped for a symlink during the walk is not followed.
    /// - Parameter sharing: whether the names of a big directory may be examined on several threads
    ///   (not when this already runs on one of them).
    private func examine(
        _ names: [[UInt8]], in directory: Int32, device: dev_t, relativeDirectory: String, sharing: Bool
    ) -> ExaminedDirectory {
        var examined = ExaminedDirectory()
        var names = names
        if names.contains(Self.atomicWriterData), let data = openAtomicWriterData(directory) {
            if case .success(let dataNames) = listDirectory(data) {
                // The logical view: the data directory's files under the mount, then anything else a
                // person added beside them; the kubelet's `..` entries and its per-file links are hidden.
                examined = examine(
                    dataNames, in: data, device: device, relativeDirectory: relativeDirectory,
                    sharing: sharing)
                examined.descriptors.append(data)
                let shown = Set(dataNames)
                let dot = UInt8(ascii: ".")
                names = names.filter {
                    !($0.count >= 2 && $0[0] == dot && $0[1] == dot) && !shown.contains($0)
                }
            } else {
                close(data)
            }
        }
        let access = self.access
        let statuses =
            sharing && names.count >= Self.namesWorthSharing
            ? ParallelMap.map(names, threads: parallelism) { access.status(directory, $0) }
            : names.map { access.status(directory, $0) }
        for (name, examinedStatus) in zip(names, statuses) {
            let key = PathName.key(name)
            let relative = relativeDirectory.isEmpty ? key : relativeDirectory + "/" + key
            let status: stat
            switch examinedStatus {
            case .failure(let code):
                if filter.admitsFile(relative) {
                    examined.items.append(.entry(.failed(path: relative, status: nil, errno: code.value)))
                }
                continue
            case .success(let found):
                status = found
            }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                if filter.admitsDirectory(relative) {
                    examined.items.append(
                        .directory(
                            path: relative, status: status, parent: directory, name: name, device: device))
                }
            case S_IFREG:
                if filter.admitsFile(relative) {
                    examined.items.append(.entry(.regular(path: relative, status: status)))
                }
            case S_IFLNK:
                if filter.admitsFile(relative) {
                    examined.items.append(.entry(.symlink(path: relative, status: status)))
                }
            case let type:
                if filter.admitsFile(relative) {
                    examined.items.append(.entry(.special(path: relative, type: describeFileType(type))))
                }
            }
        }
        return examined
    }

    /// Opens, lists and examines a subdirectory that ``examine(_:in:device:relativeDirectory:sharing:)``
    /// found.
    private func openSubdirectory(
        _ path: String, status: stat, parent: Int32, name: [UInt8], device: dev_t, sharing: Bool
    ) -> OpenedDirectory {
        let child: Int32
        switch access.openDirectory(parent, name) {
        case .failure(let code): return .notOpened(errno: code.value)
        case .success(let descriptor): child = descriptor
        }
        if status.st_dev != device, let fileSystem = PseudoFileSystem.name(of: child) {
            close(child)
            return .pseudoFileSystem(fileSystem)
        }
        switch listDirectory(child) {
        case .failure(let code):
            close(child)
            return .notListed(errno: code.value)
        case .success(let names):
            return .listed(
                descriptor: child,
                examine(names, in: child, device: status.st_dev, relativeDirectory: path, sharing: sharing))
        }
    }

    /// Visits the items of an examined directory in order, on the calling thread. Its
    /// subdirectories are opened and examined a batch at a time, in parallel, just before the first
    /// of the batch is visited.
    private func visitExamined(
        _ examined: ExaminedDirectory, _ entering: (String) throws -> Void, _ visit: (Entry) throws -> Void
    ) throws {
        let subdirectories = examined.items.compactMap { item -> Subdirectory? in
            guard case .directory(let path, let status, let parent, let name, let device) = item else {
                return nil
            }
            return Subdirectory(path: path, status: status, parent: parent, name: name, device: device)
        }
        let batchSize = max(1, parallelism) * Self.directoriesPerThread
        var batch: [OpenedDirectory?] = []
        var batchStart = 0
        var next = 0
        // Whatever the walk did not reach (`visit` threw) is closed here.
        defer { for opened in batch { opened?.close() } }
        for item in examined.items {
            guard case .directory(let path, let status, _, _, _) = item else {
                if case .entry(let entry) = item { try visit(entry) }
                continue
            }
            if next - batchStart == batch.count {
                batchStart = next
                let pending = Array(subdirectories[next..<min(next + batchSize, subdirectories.count)])
                if pending.count == 1 || parallelism <= 1 {
                    // One at a time on this thread: its own names may still be shared out.
                    batch = pending.map { $0.opened(by: self, sharing: pending.count == 1) }
                } else {
                    batch = ParallelMap.map(pending, threads: parallelism) {
                        $0.opened(by: self, sharing: false)
                    }
                }
            }
            let opened = batch[next - batchStart]
            batch[next - batchStart] = nil
            next += 1
            switch opened {
            case .notOpened(let code)?:
                try visit(.failed(path: path, status: status, errno: code))
            case .pseudoFileSystem(let fileSystem)?:
                try visit(.special(path: path, type: "\(fileSystem) mount, not entered"))
            case .notListed(let code)?:
                try visit(.directory(path: path, status: status))
                try visit(.failed(path: path, status: status, errno: code))
            case .listed(let descriptor, let children)?:
                defer {
                    close(descriptor)
                    children.closeDescriptors()
                }
                try visit(.directory(path: path, status: status))
                try entering(path)
                try visitExamined(children, entering, visit)
            case nil:
                preconditionFailure("each subdirectory is opened once, in order")
            }
        }
    }

    /// A subdirectory waiting in a batch.
    private struct Subdirectory: Sendable {
        let path: String
        let status: stat
        let parent: Int32
        let name: [UInt8]
        let device: dev_t

        func opened(by walker: DirectoryWalker, sharing: Bool) -> OpenedDirectory {
            walker.openSubdirectory(
                path, status: status, parent: parent, name: name, device: device, sharing: sharing)
        }
    }

    /// A directory with at least this many names has them examined on several threads.
    private static let namesWorthSharing = 256
    /// Subdirectories opened ahead per thread: enough to keep each busy, few enough that memory
    /// holds only a few listings per level of the tree.
    private static let directoriesPerThread = 4

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
