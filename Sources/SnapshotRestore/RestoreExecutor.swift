import Crypto
import FileSystem
import Glibc
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
        let targetDescriptor: Int32
        do {
            targetDescriptor = try openTarget(plan.target)
        } catch {
            report.notWritten += plan.actions.map { RestoreRefusal(path: $0.path, reason: "\(error)") }
            return report
        }
        defer { close(targetDescriptor) }
        var directories: [RestoreAction] = []
        for action in plan.actions {
            do {
                if case .directory = action.operation {
                    let descriptor = try openDirectory(action.path, under: targetDescriptor, create: true)
                    close(descriptor)
                    directories.append(action)
                    continue
                }
                try write(action, under: targetDescriptor)
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
                try applyDirectoryMetadata(action, under: targetDescriptor)
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
    private func openTarget(_ target: String) throws -> Int32 {
        if mkdir(target, 0o700) != 0 && errno != EEXIST {
            throw SnapshotStoreError.restoreFailed(
                path: target, operation: "mkdir", reason: POSIX.errorText(errno))
        }
        let descriptor = open(target, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SnapshotStoreError.restoreFailed(
                path: target, operation: "open", reason: POSIX.errorText(errno))
        }
        return descriptor
    }

    /// Opens `relative` below `root` one component at a time without following symlinks; missing
    /// directories are created 0700 (their recorded mode comes last) when `create` is set.
    private func openDirectory(_ relative: String, under root: Int32, create: Bool) throws -> Int32 {
        var current = dup(root)
        guard current >= 0 else {
            throw SnapshotStoreError.restoreFailed(
                path: relative, operation: "dup", reason: POSIX.errorText(errno))
        }
        guard !relative.isEmpty else { return current }
        var walked = ""
        for component in PathName.bytes(relative).split(separator: UInt8(ascii: "/")) {
            let name = Array(component)
            walked += (walked.isEmpty ? "" : "/") + PathName.key(name)
            var next = RawPath.withCString(name) {
                openat(current, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if next < 0 && errno == ENOENT && create {
                if RawPath.withCString(name, { mkdirat(current, $0, 0o700) }) != 0 && errno != EEXIST {
                    let reason = POSIX.errorText(errno)
                    close(current)
                    throw SnapshotStoreError.restoreFailed(path: walked, operation: "mkdir", reason: reason)
                }
                next = RawPath.withCString(name) {
                    openat(current, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                }
            }
            let code = errno
            close(current)
            guard next >= 0 else {
                let reason =
                    code == ELOOP || code == ENOTDIR
                    ? "it is no longer a directory (a symlink or a file appeared after the plan was made)"
                    : POSIX.errorText(code)
                throw SnapshotStoreError.unsafeRestorePath(path: walked, reason: reason)
            }
            current = next
        }
        return current
    }

    private func write(_ action: RestoreAction, under root: Int32) throws {
        let bytes = PathName.bytes(action.path)
        let slash = bytes.lastIndex(of: UInt8(ascii: "/"))
        let name = Array(slash.map { bytes[($0 + 1)...] } ?? bytes[...])
        let parentKey = slash.map { PathName.key(bytes[..<$0]) } ?? ""
        let parent = try openDirectory(parentKey, under: root, create: true)
        defer { close(parent) }
        var existing = stat()
        if RawPath.withCString(name, { fstatat(parent, $0, &existing, AT_SYMLINK_NOFOLLOW) }) == 0,
            existing.st_mode & S_IFMT == S_IFDIR
        {
            throw SnapshotStoreError.restoreFailed(
                path: action.path, operation: "replace", reason: "a directory is in the way")
        }
        let temporary = Array(".kms-drift-restore-\(getpid())-\(Self.nextTemporaryNumber())".utf8)
        switch action.operation {
        case .directory:
            return
        case .createSymlink(let target):
            let created = RawPath.withCString(PathName.bytes(target)) { link in
                RawPath.withCString(temporary) { symlinkat(link, parent, $0) }
            }
            guard created == 0 else {
                throw SnapshotStoreError.restoreFailed(
                    path: action.path, operation: "symlink", reason: POSIX.errorText(errno))
            }
            if options.restoreOwners, let ownership = action.ownership {
                let changed = RawPath.withCString(temporary) {
                    fchownat(parent, $0, ownership.owner, ownership.group, AT_SYMLINK_NOFOLLOW)
                }
                if changed != 0 {
                    let reason = POSIX.errorText(errno)
                    _ = RawPath.withCString(temporary) { unlinkat(parent, $0, 0) }
                    throw SnapshotStoreError.restoreFailed(
                        path: action.path, operation: "chown to \(ownership)", reason: reason)
                }
            }
        case .writeFile(let mode, let size, let hash):
            let descriptor = RawPath.withCString(temporary) {
                openat(parent, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            }
            guard descriptor >= 0 else {
                throw SnapshotStoreError.restoreFailed(
                    path: action.path, operation: "create", reason: POSIX.errorText(errno))
            }
            do {
                defer { close(descriptor) }
                try writeVerified(hash, size: size, to: descriptor, path: action.path)
                // chown before chmod: changing the owner clears setuid and setgid.
                if options.restoreOwners, let ownership = action.ownership,
                    fchown(descriptor, ownership.owner, ownership.group) != 0
                {
                    throw SnapshotStoreError.restoreFailed(
                        path: action.path, operation: "chown to \(ownership)", reason: POSIX.errorText(errno))
                }
                guard fchmod(descriptor, mode_t(mode)) == 0, fsync(descriptor) == 0 else {
                    throw SnapshotStoreError.restoreFailed(
                        path: action.path, operation: "fsync", reason: POSIX.errorText(errno))
                }
            } catch {
                _ = RawPath.withCString(temporary) { unlinkat(parent, $0, 0) }
                throw error
            }
        }
        let renamed = RawPath.withCString(temporary) { from in
            RawPath.withCString(name) { renameat(parent, from, parent, $0) }
        }
        guard renamed == 0 else {
            let reason = POSIX.errorText(errno)
            _ = RawPath.withCString(temporary) { unlinkat(parent, $0, 0) }
            throw SnapshotStoreError.restoreFailed(path: action.path, operation: "rename", reason: reason)
        }
        fsync(parent)  // the rename itself is durable
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

    private func applyDirectoryMetadata(_ action: RestoreAction, under root: Int32) throws {
        guard case .directory(let mode) = action.operation else { return }
        let descriptor = try openDirectory(action.path, under: root, create: true)
        defer { close(descriptor) }
        if options.restoreOwners, let ownership = action.ownership,
            fchown(descriptor, ownership.owner, ownership.group) != 0
        {
            throw SnapshotStoreError.restoreFailed(
                path: action.path, operation: "chown to \(ownership)", reason: POSIX.errorText(errno))
        }
        guard fchmod(descriptor, mode_t(mode)) == 0 else {
            throw SnapshotStoreError.restoreFailed(
                path: action.path, operation: "chmod", reason: POSIX.errorText(errno))
        }
    }

    private static func isOwnOwnership(_ ownership: Ownership) -> Bool {
        ownership.owner == geteuid() && ownership.group == getegid()
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
