import FileSystem
import Glibc

/// One step of a restore.
public struct RestoreAction: Hashable, Sendable {
    public enum Operation: Hashable, Sendable {
        /// Write the file's recorded bytes and set its mode.
        case writeFile(mode: UInt32, size: Int64, hash: ContentHash)
        /// Create (or replace) a symlink with this target text.
        case createSymlink(target: String)
        /// Nothing can be written for this path (unreadable, vanished, content not stored).
        case skip(reason: String)
    }

    /// Path relative to the target directory.
    public var path: String
    public var operation: Operation
}

/// What a restore does (or, with `dryRun`, would do), in path order.
public struct RestorePlan: Hashable, Sendable {
    public var snapshot: SnapshotID
    public var actions: [RestoreAction]
}

/// Writes a snapshot's files back into a directory.
///
/// Each file is written to a temporary file in its destination directory, fsynced, then renamed over
/// the old one, so a reader never sees half a file. Modes are restored and symlinks recreated
/// (ownership is not). Paths that would land outside the target — `..`, absolute paths, or a parent
/// directory that is a symlink — are refused. Missing directories are created 0700.
///
/// The CLI should take a snapshot of the current state before restoring: that is one
/// ``SnapshotStore/takeSnapshot(of:options:)`` call on the same store.
public struct SnapshotRestorer {
    let store: SnapshotStore

    public init(store: SnapshotStore) {
        self.store = store
    }

    /// Restores `reference` into `target`: every file, or only `subtree` (a file or a directory path,
    /// relative). With `dryRun`, returns the plan and writes nothing.
    @discardableResult
    public func restore(
        _ reference: SnapshotReference, into target: String, subtree: String? = nil, dryRun: Bool = false
    ) throws -> RestorePlan {
        let plan = try makePlan(reference, subtree: subtree)
        guard !dryRun else { return plan }
        try ensureDirectory(target, relativeName: target)
        for action in plan.actions {
            try apply(action, target: target)
        }
        return plan
    }

    private func makePlan(_ reference: SnapshotReference, subtree: String?) throws -> RestorePlan {
        let id = try store.resolve(reference)
        let prefix = subtree.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let records = try store.files(in: .id(id)).filter { record in
            guard let prefix, !prefix.isEmpty else { return true }
            return record.path == prefix || record.path.hasPrefix(prefix + "/")
        }
        if let prefix, records.isEmpty {
            throw SnapshotStoreError.fileNotInSnapshot(snapshot: id.rawValue, path: prefix)
        }
        var actions: [RestoreAction] = []
        for record in records {
            try checkRelativePath(record.path)
            let operation: RestoreAction.Operation
            switch record.kind {
            case .regular:
                if let hash = record.contentHash, record.isContentStored {
                    operation = .writeFile(mode: record.mode, size: record.size, hash: hash)
                } else {
                    operation = .skip(reason: "its content was not stored (above the size limit)")
                }
            case .symlink(let target):
                operation = .createSymlink(target: target)
            case .unreadable(let reason):
                operation = .skip(reason: "it was unreadable when the snapshot was taken (\(reason))")
            case .vanished(let reason):
                operation = .skip(reason: "it vanished while the snapshot was taken (\(reason))")
            }
            actions.append(RestoreAction(path: record.path, operation: operation))
        }
        return RestorePlan(snapshot: id, actions: actions)
    }

    private func apply(_ action: RestoreAction, target: String) throws {
        let components = action.path.split(separator: "/").map(String.init)
        var directory = target
        for component in components.dropLast() {
            directory += "/" + component
            try ensureDirectory(directory, relativeName: action.path)
        }
        let destination = target + "/" + action.path
        var existing = stat()
        if lstat(destination, &existing) == 0 && existing.st_mode & S_IFMT == S_IFDIR {
            throw SnapshotStoreError.restoreFailed(
                path: destination, operation: "replace", reason: "a directory is in the way")
        }
        switch action.operation {
        case .skip:
            return
        case .createSymlink(let linkTarget):
            let temporary = directory + "/.kms-drift-restore-\(getpid())-link"
            unlink(temporary)
            guard symlink(linkTarget, temporary) == 0 else {
                throw SnapshotStoreError.restoreFailed(
                    path: destination, operation: "symlink", reason: POSIX.errorText(errno))
            }
            try moveIntoPlace(temporary, destination, directory: directory)
        case .writeFile(let mode, _, let hash):
            var template = Array((directory + "/.kms-drift-restore-XXXXXX").utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else {
                throw SnapshotStoreError.restoreFailed(
                    path: destination, operation: "create", reason: POSIX.errorText(errno))
            }
            let temporary = String(
                decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            do {
                defer { close(descriptor) }
                try store.forEachChunk(of: hash) { chunk in try writeAll(descriptor, chunk, path: destination)
                }
                guard fchmod(descriptor, mode_t(mode)) == 0, fsync(descriptor) == 0 else {
                    throw SnapshotStoreError.restoreFailed(
                        path: destination, operation: "fsync", reason: POSIX.errorText(errno))
                }
            } catch {
                unlink(temporary)
                throw error
            }
            try moveIntoPlace(temporary, destination, directory: directory)
        }
    }

    /// Creates `path` (0700) if missing; refuses a symlink or a non-directory in its place.
    private func ensureDirectory(_ path: String, relativeName: String) throws {
        var status = stat()
        if lstat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFDIR: return
            case S_IFLNK:
                throw SnapshotStoreError.unsafeRestorePath(
                    path: relativeName,
                    reason: "the directory \(path) is a symlink and could lead outside the target")
            default:
                throw SnapshotStoreError.unsafeRestorePath(
                    path: relativeName, reason: "\(path) is not a directory")
            }
        }
        guard errno == ENOENT else {
            throw SnapshotStoreError.restoreFailed(
                path: path, operation: "lstat", reason: POSIX.errorText(errno))
        }
        guard mkdir(path, 0o700) == 0 else {
            throw SnapshotStoreError.restoreFailed(
                path: path, operation: "mkdir", reason: POSIX.errorText(errno))
        }
    }

    private func moveIntoPlace(_ temporary: String, _ destination: String, directory: String) throws {
        guard rename(temporary, destination) == 0 else {
            let reason = POSIX.errorText(errno)
            unlink(temporary)
            throw SnapshotStoreError.restoreFailed(path: destination, operation: "rename", reason: reason)
        }
        // Make the rename itself durable.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}

/// Refuses paths that could escape the target directory.
func checkRelativePath(_ path: String) throws {
    if path.hasPrefix("/") {
        throw SnapshotStoreError.unsafeRestorePath(path: path, reason: "it is an absolute path")
    }
    for component in path.split(separator: "/", omittingEmptySubsequences: false) {
        if component == ".." {
            throw SnapshotStoreError.unsafeRestorePath(path: path, reason: "it contains `..`")
        }
        if component.isEmpty || component == "." {
            throw SnapshotStoreError.unsafeRestorePath(path: path, reason: "it is not a plain relative path")
        }
    }
}

private func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws {
    let code = POSIX.writeAll(descriptor, bytes)
    if code != 0 {
        throw SnapshotStoreError.restoreFailed(path: path, operation: "write", reason: POSIX.errorText(code))
    }
}
