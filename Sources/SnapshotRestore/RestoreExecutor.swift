import Crypto
import FileSystem
import SnapshotStore
import Synchronization

/// Carries out a plan. Every directory is opened relative to its parent with `O_NOFOLLOW`, so a
/// symlink swapped in after the plan was made is never followed. Each file is written to a
/// temporary file beside its destination while its bytes go through SHA-256; only when the hash and
/// the length match the record is it given its owner and mode, fsynced and renamed into place, so
/// a damaged byte is never written where a reader (kms-server) would find it. Directories get their
/// recorded mode and owner last, deepest first, so that a read-only directory does not stop its own
/// contents from being restored.
struct RestoreExecutor {
    let store: SnapshotStore
    let options: RestoreOptions

    func execute(_ plan: RestorePlan, partial: Bool) -> RestoreReport {
        var report = RestoreReport(plan: plan, written: [], notWritten: plan.refusals, ownersNotRestored: [])
        guard plan.isClean || partial else {
            report.notWritten += plan.actions.map {
                RestoreRefusal(
                    path: $0.path, reason: "not written: the restore was refused as a whole (see above)")
            }
            report.notWritten.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            return report
        }
        let target: DirectoryHandle
        do {
            target = try openTarget(plan.target)
        } catch {
            report.notWritten += plan.actions.map { RestoreRefusal(path: $0.path, reason: "\(error)") }
            return report
        }
        defer { target.close() }
        var directories: [RestoreAction] = []
        for action in plan.actions {
            do {
                if case .directory = action.operation {
                    try openDirectory(action.path, under: target, create: true).close()
                    directories.append(action)
                    continue
                }
                try write(action, under: target)
                report.written.append(action)
                if !options.restoreOwners, let ownership = action.ownership, !Self.isOwnOwnership(ownership) {
                    report.ownersNotRestored.append(action)
                }
            } catch {
                report.notWritten.append(RestoreRefusal(path: action.path, reason: Self.reason(error)))
            }
        }
        // Deepest first: a parent made read-only must not stop a child's chmod.
        for action in directories.sorted(by: { $0.path.utf8.count > $1.path.utf8.count }) {
            do {
                try applyDirectoryMetadata(action, under: target)
                report.written.append(action)
                if !options.restoreOwners, let ownership = action.ownership, !Self.isOwnOwnership(ownership) {
                    report.ownersNotRestored.append(action)
                }
            } catch {
                report.notWritten.append(RestoreRefusal(path: action.path, reason: Self.reason(error)))
            }
        }
        report.notWritten.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return report
    }

    /// Opens (creating it 0700 if missing) the target directory, never through a symlink.
    private func openTarget(_ target: String) throws -> DirectoryHandle {
        do {
            try DirectoryHandle.make(target, mode: 0o700)
        } catch {
            throw SnapshotStoreError.restoreFailed(
                path: target, operation: "mkdir", reason: error.description)
        }
        do {
            return try DirectoryHandle.open(target)
        } catch {
            throw SnapshotStoreError.restoreFailed(path: target, operation: "open", reason: error.description)
        }
    }

    /// Opens `relative` below `root` one component at a time without following symlinks; missing
    /// directories are created 0700 (their recorded mode comes last) when `create` is set.
    private func openDirectory(_ relative: String, under root: DirectoryHandle, create: Bool) throws
        -> DirectoryHandle
    {
        var current: DirectoryHandle
        do {
            current = try root.duplicate()
        } catch {
            throw SnapshotStoreError.restoreFailed(
                path: relative, operation: "dup", reason: error.description)
        }
        guard !relative.isEmpty else { return current }
        var walked = ""
        for component in PathName.bytes(relative).split(separator: UInt8(ascii: "/")) {
            let name = Array(component)
            walked += (walked.isEmpty ? "" : "/") + PathName.key(name)
            let next: DirectoryHandle
            do {
                defer { current.close() }
                next = try openChild(name, of: current, create: create, walked: walked)
            }
            current = next
        }
        return current
    }

    /// The subdirectory `name` of `parent`, created first when missing and `create` is set.
    private func openChild(_ name: [UInt8], of parent: DirectoryHandle, create: Bool, walked: String) throws
        -> DirectoryHandle
    {
        var failure: ErrnoCode
        do {
            return try parent.openChild(name)
        } catch {
            failure = error
        }
        if failure.isNotFound && create {
            do {
                try parent.makeChild(name, mode: 0o700)
            } catch {
                throw SnapshotStoreError.restoreFailed(
                    path: walked, operation: "mkdir", reason: error.description)
            }
            do {
                return try parent.openChild(name)
            } catch {
                failure = error
            }
        }
        let reason =
            failure.meansNotADirectoryAnyMore
            ? "it is no longer a directory (a symlink or a file appeared after the plan was made)"
            : failure.description
        throw SnapshotStoreError.unsafeRestorePath(path: walked, reason: reason)
    }

    private func write(_ action: RestoreAction, under root: DirectoryHandle) throws {
        let bytes = PathName.bytes(action.path)
        let slash = bytes.lastIndex(of: UInt8(ascii: "/"))
        let name = Array(slash.map { bytes[($0 + 1)...] } ?? bytes[...])
        let parentKey = slash.map { PathName.key(bytes[..<$0]) } ?? ""
        let parent = try openDirectory(parentKey, under: root, create: true)
        defer { parent.close() }
        if parent.holdsDirectory(name) {
            throw SnapshotStoreError.restoreFailed(
                path: action.path, operation: "replace", reason: "a directory is in the way")
        }
        let temporary = Array(
            ".kms-drift-restore-\(ProcessEnvironment.processID)-\(Self.nextTemporaryNumber())".utf8)
        switch action.operation {
        case .directory:
            return
        case .createSymlink(let target):
            do {
                try parent.makeSymlink(temporary, target: PathName.bytes(target))
            } catch {
                throw SnapshotStoreError.restoreFailed(
                    path: action.path, operation: "symlink", reason: error.description)
            }
            if options.restoreOwners, let ownership = action.ownership {
                do {
                    try parent.changeOwner(ofEntry: temporary, owner: ownership.owner, group: ownership.group)
                } catch {
                    parent.removeEntry(temporary)
                    throw SnapshotStoreError.restoreFailed(
                        path: action.path, operation: "chown to \(ownership)", reason: error.description)
                }
            }
        case .writeFile(let mode, let size, let hash):
            let descriptor: Int32
            do {
                descriptor = try parent.createFileExclusively(temporary, mode: 0o600)
            } catch {
                throw SnapshotStoreError.restoreFailed(
                    path: action.path, operation: "create", reason: error.description)
            }
            do {
                defer { OpenFile.close(descriptor) }
                try writeVerified(hash, size: size, to: descriptor, path: action.path)
                // chown before chmod: changing the owner clears setuid and setgid.
                if options.restoreOwners, let ownership = action.ownership,
                    let failure = OpenFile.changeOwner(
                        descriptor, owner: ownership.owner, group: ownership.group)
                {
                    throw SnapshotStoreError.restoreFailed(
                        path: action.path, operation: "chown to \(ownership)", reason: failure.description)
                }
                do {
                    try FilePermissions.set(mode, descriptor: descriptor)
                } catch {
                    throw SnapshotStoreError.restoreFailed(
                        path: action.path, operation: "chmod", reason: error.description)
                }
                if let failure = OpenFile.sync(descriptor) {
                    throw SnapshotStoreError.restoreFailed(
                        path: action.path, operation: "fsync", reason: failure.description)
                }
            } catch {
                parent.removeEntry(temporary)
                throw error
            }
        }
        do {
            try parent.rename(temporary, to: name)
        } catch {
            parent.removeEntry(temporary)
            throw SnapshotStoreError.restoreFailed(
                path: action.path, operation: "rename", reason: error.description)
        }
        parent.sync()  // the rename itself is durable
    }

    /// Streams the content into `descriptor` through SHA-256; throws (and the caller removes the
    /// temporary file) unless the bytes written are exactly the recorded ones.
    private func writeVerified(_ hash: ContentHash, size: Int64, to descriptor: Int32, path: String) throws {
        var hasher = SHA256()
        var written: Int64 = 0
        try store.readTransaction {
            try store.forEachChunk(of: hash) { chunk in
                written += Int64(chunk.count)
                guard written <= size else {
                    throw SnapshotStoreError.blobDamaged(hash: hash.hex, reason: "it is longer than recorded")
                }
                hasher.update(data: chunk)
                try writeAll(descriptor, chunk, path: path)
            }
        }
        guard written == size, Array(hasher.finalize()) == hash.bytes else {
            throw SnapshotStoreError.blobDamaged(
                hash: hash.hex, reason: "its content no longer matches its SHA-256")
        }
    }

    private func applyDirectoryMetadata(_ action: RestoreAction, under root: DirectoryHandle) throws {
        guard case .directory(let mode) = action.operation else { return }
        let directory = try openDirectory(action.path, under: root, create: true)
        defer { directory.close() }
        if options.restoreOwners, let ownership = action.ownership,
            let failure = OpenFile.changeOwner(
                directory.descriptor, owner: ownership.owner, group: ownership.group)
        {
            throw SnapshotStoreError.restoreFailed(
                path: action.path, operation: "chown to \(ownership)", reason: failure.description)
        }
        do {
            try FilePermissions.set(mode, descriptor: directory.descriptor)
        } catch {
            throw SnapshotStoreError.restoreFailed(
                path: action.path, operation: "chmod", reason: error.description)
        }
    }

    private static func isOwnOwnership(_ ownership: Ownership) -> Bool {
        let own = ProcessUser.effectiveOwner
        return ownership.owner == own.owner && ownership.group == own.group
    }

    /// An error as the reason a path was not written.
    private static func reason(_ error: Error) -> String {
        switch error {
        case SnapshotStoreError.blobDamaged(_, let reason):
            return "damaged: \(reason); nothing of it was written"
        case SnapshotStoreError.restoreFailed(_, let operation, let reason):
            return "\(operation) failed: \(reason)"
        case SnapshotStoreError.unsafeRestorePath(let path, let reason):
            return "refused at \(path): \(reason)"
        default: return "\(error)"
        }
    }

    /// Temporary names only need to be unique within this process (the pid is in the name too).
    private static func nextTemporaryNumber() -> Int {
        temporaryCounter.add(1, ordering: .relaxed).newValue
    }
}

private let temporaryCounter = Atomic<Int>(0)

/// Writes all of `bytes`, retrying short writes and EINTR.
func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws {
    let code = POSIX.writeAll(descriptor, bytes)
    if code != 0 {
        throw SnapshotStoreError.restoreFailed(path: path, operation: "write", reason: POSIX.errorText(code))
    }
}
