import FileSystem
import SnapshotStore

/// Decides a whole restore before anything is written: which entries of the snapshot are in
/// scope, whether each one's content is intact (streamed through SHA-256, sizes checked against the
/// real data and the configured limit), and whether each path can be written inside the target
/// without following a symlink or replacing a directory. Reads only.
struct RestorePlanner {
    let store: SnapshotStore
    let options: RestoreOptions
    let target: String

    func plan(_ reference: SnapshotReference) throws -> RestorePlan {
        try store.readTransaction {
            let id = try store.resolve(reference)
            // Paths, modes and which content each file has come from the manifest: it must be intact.
            try store.checkManifest(of: .id(id))
            let scope = options.subtree
            func inScope(_ path: String) -> Bool {
                guard let scope else { return true }
                return path == scope || path.hasPrefix(scope + "/")
            }
            // Computed files (`@effective/…`, `@live/…`) were never on disk: never written back.
            let files = try store.files(in: .id(id)).filter {
                inScope($0.path) && !VirtualFile.isVirtual($0.path)
            }
            let allDirectories = try store.directories(in: .id(id))
            var directories = allDirectories.filter { inScope($0.path) }
            if let scope {
                guard !files.isEmpty || !directories.isEmpty else {
                    throw SnapshotStoreError.fileNotInSnapshot(snapshot: id.rawValue, path: scope)
                }
                // The directories above the subtree keep their recorded mode and owner if the restore
                // has to create them.
                directories += allDirectories.filter { scope.hasPrefix($0.path + "/") && !exists($0.path) }
            }
            try checkTarget()
            var actions: [RestoreAction] = []
            var refusals: [RestoreRefusal] = []
            for directory in directories {
                actions.append(
                    action(
                        directory.path, .directory(mode: directory.mode & 0o7777),
                        Ownership(owner: directory.owner, group: directory.group),
                        recordedMode: directory.mode))
            }
            for file in files {
                switch operation(for: file) {
                case .success(let operation):
                    let ownership = file.owner.flatMap { owner in
                        file.group.map { Ownership(owner: owner, group: $0) }
                    }
                    actions.append(action(file.path, operation, ownership, recordedMode: file.mode))
                case .failure(let refusal):
                    refusals.append(refusal)
                }
            }
            var recorded = RecordedPaths()
            for action in actions {
                recorded.count[action.path, default: 0] += 1
                if case .directory = action.operation { recorded.directories.insert(action.path) }
            }
            var placed: [RestoreAction] = []
            var existing: [String: FileStatus.FileType?] = [:]
            for action in actions.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
                if let reason = placementProblem(action, recorded: recorded, existing: &existing) {
                    refusals.append(RestoreRefusal(path: action.path, reason: reason))
                } else {
                    placed.append(action)
                }
            }
            refusals.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            return RestorePlan(snapshot: id, target: target, actions: placed, refusals: refusals)
        }
    }

    /// The action with the mode to apply and the special bits it drops.
    private func action(
        _ path: String, _ operation: RestoreAction.Operation, _ ownership: Ownership?, recordedMode: UInt32
    ) -> RestoreAction {
        let special = recordedMode & 0o7000
        let dropped = options.keepSpecialBits ? 0 : special
        let applied = recordedMode & (options.keepSpecialBits ? 0o7777 : 0o777)
        var operation = operation
        switch operation {
        case .writeFile(_, let size, let hash): operation = .writeFile(mode: applied, size: size, hash: hash)
        case .directory: operation = .directory(mode: applied)
        case .createSymlink: break
        }
        let isLink = if case .createSymlink = operation { true } else { false }
        return RestoreAction(
            path: path, operation: operation, ownership: ownership, droppedBits: isLink ? 0 : dropped)
    }

    /// What to do for a recorded file, or why it cannot be restored.
    private func operation(for file: FileRecord) -> Result<RestoreAction.Operation, RestoreRefusal> {
        func refuse(_ reason: String) -> Result<RestoreAction.Operation, RestoreRefusal> {
            .failure(RestoreRefusal(path: file.path, reason: reason))
        }
        switch file.kind {
        case .unreadable(let reason):
            return refuse(
                "it was unreadable when the snapshot was taken (\(reason)); nothing of it was stored")
        case .vanished(let reason):
            return refuse("it vanished while the snapshot was taken (\(reason)); nothing of it was stored")
        case .symlink(let target):
            let bytes = PathName.bytes(target)
            if bytes.isEmpty || bytes.contains(0) || bytes.count > SymbolicLink.maximumTargetLength {
                return refuse("its recorded link target is not a valid link target (the database is damaged)")
            }
            return .success(.createSymlink(target: target))
        case .regular:
            guard let hash = file.contentHash else {
                return refuse("no content is recorded for it (the database is damaged)")
            }
            guard file.isContentStored else {
                return refuse(
                    "it was above the size limit when the snapshot was taken, so only its hash (\(hash)) was kept"
                )
            }
            if file.size < 0 || file.size > options.maximumFileSize {
                return refuse(
                    "its recorded size (\(file.size) bytes) is above the size limit of \(options.maximumFileSize) "
                        + "bytes ([watch] max_file_size); a size kms-drift would not have stored is not trusted"
                )
            }
            do {
                let blob = try store.storedBlob(hash)
                if blob.size != file.size {
                    return refuse(
                        "damaged: its content is recorded as \(blob.size) bytes but the file as \(file.size) bytes"
                    )
                }
                if let damage = try store.damage(of: hash) {
                    return refuse("damaged: \(damage)")
                }
            } catch SnapshotStoreError.blobNotFound {
                return refuse("damaged: its content (\(hash)) is missing from the database")
            } catch SnapshotStoreError.contentNotStored {
                return refuse("its content (\(hash)) was not stored")
            } catch {
                return refuse("its content cannot be read: \(error)")
            }
            return .success(.writeFile(mode: file.mode, size: file.size, hash: hash))
        }
    }

    /// The paths of the planned actions, for conflicts a damaged database can hold.
    private struct RecordedPaths {
        var count: [String: Int] = [:]
        var directories: Set<String> = []
    }

    /// Why `action` cannot be written where it goes, or `nil`. `existing` caches what is in the target.
    private func placementProblem(
        _ action: RestoreAction, recorded: RecordedPaths, existing: inout [String: FileStatus.FileType?]
    ) -> String? {
        do {
            try checkRelativePath(action.path)
        } catch SnapshotStoreError.unsafeRestorePath(_, let reason) {
            return "its recorded path would leave the target directory: \(reason)"
        } catch {
            return "\(error)"
        }
        if recorded.count[action.path, default: 0] > 1 {
            return "it is recorded twice in the snapshot (the database is damaged)"
        }
        let components = action.path.split(separator: "/").map(String.init)
        var ancestor = ""
        for component in components.dropLast() {
            ancestor = ancestor.isEmpty ? component : ancestor + "/" + component
            if recorded.count[ancestor] != nil && !recorded.directories.contains(ancestor) {
                return
                    "its parent \(ancestor) is recorded as a file, not a directory (the database is damaged)"
            }
            if existing[ancestor] == nil { existing[ancestor] = kind(of: ancestor) }
            switch existing[ancestor]! {
            case nil: return nil  // absent: created, and everything below it is new
            case .directory: continue
            case .symlink:
                return "the directory \(displayed(ancestor)) is a symlink and could lead outside the target; "
                    + "remove the link or restore elsewhere with --to"
            default:
                return
                    "\(displayed(ancestor)) is not a directory; move it aside or restore elsewhere with --to"
            }
        }
        let existing = kind(of: action.path)
        switch action.operation {
        case .directory:
            if let existing, existing != .directory {
                return "\(displayed(action.path)) exists and is not a directory; move it aside or restore "
                    + "elsewhere with --to"
            }
        case .writeFile, .createSymlink:
            if existing == .directory {
                return "a directory is in the way at \(displayed(action.path)); move it aside or restore "
                    + "elsewhere with --to"
            }
        }
        return nil
    }

    /// The target must be a real directory (or absent, with its parent present): a symlink there
    /// could send every file elsewhere.
    private func checkTarget() throws {
        do {
            switch try FileStatus.of(target, followingSymlinks: false).type {
            case .directory: return
            case .symlink:
                throw SnapshotStoreError.unsafeRestorePath(
                    path: target, reason: "the target directory is a symlink; give its real path with --to")
            default:
                throw SnapshotStoreError.unsafeRestorePath(
                    path: target, reason: "the target is not a directory")
            }
        } catch let code as ErrnoCode {
            guard code.isNotFound else {
                throw SnapshotStoreError.restoreFailed(
                    path: target, operation: "lstat", reason: code.description)
            }
        }
        let parent = PathText.directory(of: target)
        guard (try? FileStatus.of(parent))?.type == .directory else {
            throw SnapshotStoreError.restoreFailed(
                path: target, operation: "plan",
                reason: "its parent directory \(parent) does not exist; create it first")
        }
    }

    /// The file type at `target/relative` (not following a symlink), or `nil` when nothing is there.
    private func kind(of relative: String) -> FileStatus.FileType? {
        (try? FileStatus.of(RawPath.join(target, relative), followingSymlinks: false))?.type
    }

    private func exists(_ relative: String) -> Bool { kind(of: relative) != nil }

    private func displayed(_ relative: String) -> String { target + "/" + relative }
}
