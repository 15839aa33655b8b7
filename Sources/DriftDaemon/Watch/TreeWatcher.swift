import FileSystem

/// The inotify watches over one watched tree, and what their events mean for the daemon.
///
/// Every directory of the tree that the `[watch]` filter admits is watched (found with the one
/// `DirectoryWalker`, so a directory the snapshot skips is not watched either); so is the root's
/// parent, for the root's own name only, so that a root replaced by a rename (a Kubernetes
/// ConfigMap's `..data` link swapped, `mv kms.new kms`) is noticed. Directories created or moved
/// in get watches as their events arrive; removed or moved-out ones lose them. The database's
/// directory is never watched, and events naming the database, the event log or the metrics file
/// are dropped: the daemon's own writes never start a cycle. The root's parent is watched even
/// when it holds the database (only the root's name counts there), or a root deleted and
/// recreated, or moved away and back, would go unseen until the interval.
///
/// Not thread-safe: used from the daemon's serial queue only.
final class TreeWatcher {
    /// What a batch of events means.
    struct Interpretation: Equatable {
        /// Admitted paths (relative to the root) that changed, in event order, without repeats.
        var changedPaths: [String] = []
        /// The kernel's queue overflowed (`InotifyMask.queueOverflow`): events were lost, only a full scan
        /// can tell what changed.
        var overflowed = false
        /// A watch could not be added (`ENOSPC`: `fs.inotify.max_user_watches` reached).
        var watchFailure: WatchFailure? = nil

        var isEmpty: Bool { changedPaths.isEmpty && !overflowed && watchFailure == nil }
    }

    /// Why the tree cannot be watched completely.
    struct WatchFailure: Error, Equatable {
        /// The directory whose watch failed.
        var path: String
        var code: ErrnoCode
        /// Watches held when it failed.
        var watchesHeld: Int
    }

    /// A directory as the kernel knows it, to recognise it whatever path leads to it.
    struct DirectoryIdentity: Hashable {
        var device: UInt64
        var inode: UInt64

        init?(path: String) {
            guard let identity = FileContents.identity(of: path) else { return nil }
            device = identity.device
            inode = identity.inode
        }
    }

    /// Events that change a directory's entries or an entry's content or metadata.
    static let treeMask: UInt32 =
        InotifyMask.modify | InotifyMask.attributes | InotifyMask.closeWrite | InotifyMask.create
        | InotifyMask.delete | InotifyMask.movedFrom | InotifyMask.movedTo | InotifyMask.deleteSelf
        | InotifyMask.moveSelf | InotifyMask.onlyDirectory
    /// In the root's parent, only what can replace the root.
    static let parentMask: UInt32 =
        InotifyMask.create | InotifyMask.delete | InotifyMask.movedFrom | InotifyMask.movedTo
        | InotifyMask.onlyDirectory

    let root: String
    let filter: PathFilter
    private let instance: InotifyInstance
    private let rootName: String
    private let parent: String
    /// The database's directory: never watched.
    private let unwatched: Set<DirectoryIdentity>
    /// File names never reported, by the identity of the directory holding them.
    private let ignoredNames: [DirectoryIdentity: Set<String>]

    private var directories: [Int32: String] = [:]
    private var watches: [String: Int32] = [:]
    /// Names to drop in the directory a watch is on (the event log beside the watched files).
    private var ignoredNamesByWatch: [Int32: Set<String>] = [:]
    private var parentWatch: Int32? = nil

    /// - Parameters:
    ///   - neverWatched: the directories never to watch (the database's).
    ///   - ignoredFiles: files whose events are dropped (the database, its -wal and -shm, the
    ///     event log, the metrics file).
    init(
        root: String, filter: PathFilter, instance: InotifyInstance, neverWatched: [String],
        ignoredFiles: [String]
    ) {
        let trimmed = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.root = trimmed
        self.filter = filter
        self.instance = instance
        let absolute = Self.absolute(trimmed)
        let slash = absolute.lastIndex(of: "/")!
        rootName = String(absolute[absolute.index(after: slash)...])
        parent = slash == absolute.startIndex ? "/" : String(absolute[..<slash])
        unwatched = Set(neverWatched.compactMap(DirectoryIdentity.init(path:)))
        var names: [DirectoryIdentity: Set<String>] = [:]
        for file in ignoredFiles {
            let absoluteFile = Self.absolute(file)
            let cut = absoluteFile.lastIndex(of: "/")!
            let directory = cut == absoluteFile.startIndex ? "/" : String(absoluteFile[..<cut])
            if let identity = DirectoryIdentity(path: directory) {
                names[identity, default: []].insert(String(absoluteFile[absoluteFile.index(after: cut)...]))
            }
        }
        ignoredNames = names
    }

    /// How many directories are watched (the parent excluded).
    var watchCount: Int { watches.count }
    /// True while the root itself is watched (false after it vanished, until it is back).
    var isWatchingRoot: Bool { watches[""] != nil }
    /// The watched directories, relative to the root (`""` is the root).
    var watchedDirectories: Set<String> { Set(watches.keys) }
    var isWatchingParent: Bool { parentWatch != nil }

    /// Watches the root's parent and every admitted directory of the tree. A root that does not
    /// exist (yet) is not an error: the cycle reports it, and the parent's watch or the next cycle
    /// brings the watches back. Throws when the watch limit is reached.
    func watchTree() throws(WatchFailure) {
        // The parent is watched even when it is the database's directory: its events count only for
        // the root's name, so the database's own files never start a cycle from there.
        if parentWatch == nil {
            if case .success(let watch) = instance.add(parent, mask: Self.parentMask) { parentWatch = watch }
        }
        try watchSubtree("")
    }

    /// Drops every watch of the tree (not the parent's) and watches it again: the root was
    /// replaced, so the watches follow inodes that are no longer the tree.
    func rewatchTree() throws(WatchFailure) {
        for watch in watches.values { instance.remove(watch) }
        watches.removeAll()
        directories.removeAll()
        ignoredNamesByWatch.removeAll()
        try watchSubtree("")
    }

    /// Reads what the kernel queued and interprets it; new directories are watched on the way.
    func readEvents() -> Interpretation {
        interpret(instance.readAvailable())
    }

    func interpret(_ events: [InotifyEvent]) -> Interpretation {
        var result = Interpretation()
        var seen = Set<String>()
        func changed(_ path: String) {
            if seen.insert(path).inserted { result.changedPaths.append(path) }
        }
        for event in events {
            if event.has(InotifyMask.queueOverflow) {
                result.overflowed = true
                continue
            }
            if event.watch == parentWatch {
                if event.has(InotifyMask.ignored) {
                    parentWatch = nil
                } else if event.name == rootName {
                    // The root was replaced, removed or put back: watch what is there now.
                    changed("")
                    do { try rewatchTree() } catch { result.watchFailure = error }
                }
                continue
            }
            guard let directory = directories[event.watch] else { continue }
            if event.has(InotifyMask.ignored) {
                forget(event.watch)
                if directory.isEmpty { changed("") }
                continue
            }
            if event.name.isEmpty {
                // The watched directory itself: the root moved or deleted means the watches no longer
                // follow the tree; a subdirectory's own move or deletion is reported by its parent.
                if directory.isEmpty && (event.has(InotifyMask.moveSelf) || event.has(InotifyMask.deleteSelf))
                {
                    changed("")
                    do { try rewatchTree() } catch { result.watchFailure = error }
                }
                continue
            }
            if ignoredNamesByWatch[event.watch]?.contains(event.name) == true { continue }
            let path = directory.isEmpty ? event.name : directory + "/" + event.name
            if event.isDirectory {
                guard filter.admitsDirectory(path) else { continue }
                if event.has(InotifyMask.movedFrom) || event.has(InotifyMask.delete) {
                    unwatchSubtree(path)
                } else if event.has(InotifyMask.create) || event.has(InotifyMask.movedTo) {
                    do { try watchSubtree(path) } catch { result.watchFailure = error }
                }
                changed(path)
            } else if filter.admitsFile(path) {
                changed(path)
            }
        }
        return result
    }

    /// Watches `relative` and every admitted directory below it. Directories that vanish or cannot
    /// be read meanwhile are skipped (the snapshot reports what it cannot read).
    private func watchSubtree(_ relative: String) throws(WatchFailure) {
        var failure: WatchFailure? = nil
        do {
            try DirectoryWalker(root: root, filter: filter, startingAt: relative).walk(
                entering: { directory in
                    guard failure == nil else { return }
                    let path = directory.isEmpty ? root : root + "/" + directory
                    let identity = DirectoryIdentity(path: path)
                    if let identity, unwatched.contains(identity) { return }
                    // The root may be a link (followed); below it, a directory swapped for a link
                    // during the walk is not.
                    let mask = Self.treeMask | (directory.isEmpty ? 0 : InotifyMask.doNotFollow)
                    switch instance.add(path, mask: mask) {
                    case .success(let watch):
                        if let old = directories[watch], old != directory { watches[old] = nil }
                        directories[watch] = directory
                        watches[directory] = watch
                        if let identity, let names = ignoredNames[identity] {
                            ignoredNamesByWatch[watch] = names
                        }
                    case .failure(let code) where code == .noSpace || code == .noMemory:
                        failure = WatchFailure(path: path, code: code, watchesHeld: watches.count)
                    case .failure:
                        break  // vanished, unreadable, replaced by a file: nothing to watch there
                    }
                }, { _ in })
        } catch {
            // The start of the walk is gone or unreadable: nothing to watch there now.
        }
        if let failure { throw failure }
    }

    /// Drops the watches of `relative` and everything below it (moved out of the tree, or deleted).
    private func unwatchSubtree(_ relative: String) {
        let prefix = relative + "/"
        for (directory, watch) in watches where directory == relative || directory.hasPrefix(prefix) {
            instance.remove(watch)
            forget(watch)
        }
    }

    private func forget(_ watch: Int32) {
        if let directory = directories.removeValue(forKey: watch), watches[directory] == watch {
            watches[directory] = nil
        }
        ignoredNamesByWatch[watch] = nil
    }

    /// `path` made absolute against the working directory, which the daemon never changes.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let directory = ProcessEnvironment.workingDirectory() else { return "/" + path }
        let relative = path == "." ? "" : path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        if relative.isEmpty { return directory }
        return directory == "/" ? "/" + relative : directory + "/" + relative
    }
}
