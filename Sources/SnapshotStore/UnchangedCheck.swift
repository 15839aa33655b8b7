import FileSystem
import Glibc

/// Decides, reading only metadata and writing nothing, that a walk of the watched directory finds
/// exactly what the latest snapshot recorded: the same paths, each with the same size, mtime,
/// ctime, inode, mode, owner and group (and link target), so none needs reading again. The
/// cheap answer for the common cycle; anything it cannot vouch for (a new, changed or unreadable
/// path, computed files, a snapshot recorded differently) is left to a full write, which then
/// compares manifests.
struct UnchangedCheck {
    let database: Database
    let options: SnapshotOptions

    /// One recorded path of the latest snapshot.
    private struct Known {
        let kind: Int64
        let mtime: Int64
        let ctime: Int64
        let size: Int64
        let inode: Int64
        let mode: Int64
        let owner: Int64
        let group: Int64
        let target: [UInt8]?
        let isContentStored: Bool
    }

    /// Stops the walk at the first difference.
    private struct Differs: Error {}

    /// The latest snapshot's result for this walk when nothing changed; `nil` when something may have.
    func check(root: String) throws -> SnapshotResult? {
        guard options.virtualFiles.isEmpty,
            let (latest, recordedRoot) = try database.cached(
                "SELECT id, root FROM snapshots ORDER BY id DESC LIMIT 1"
            ).firstRow([], { ($0.int64(0), $0.text(1)) }),
            recordedRoot == root
        else { return nil }
        var known: [String: Known] = [:]
        var usable = true
        try database.cached(
            """
            SELECT p.path, s.kind, s.mtime_ns, s.ctime_ns, s.size, s.inode, s.mode, s.uid, s.gid, s.detail,
                s.blob_id, b.stored
            FROM entries e JOIN file_states s ON s.id = e.state_id JOIN paths p ON p.id = s.path_id
            LEFT JOIN blobs b ON b.id = s.blob_id WHERE e.snapshot_id = ?
            """
        ).forEachRow([.integer(latest)]) { row in
            let kind = row.int64(1)
            // Unreadable or vanished paths are reported again by a full walk; states from before
            // owners were recorded get their owner there.
            guard kind == 0 || kind == 1 || kind == 4, !row.isNull(7), !row.isNull(8),
                kind != 0 || !row.isNull(10)
            else {
                usable = false
                return
            }
            known[row.pathKey(0)] = Known(
                kind: kind, mtime: row.int64(2), ctime: row.int64(3), size: row.int64(4), inode: row.int64(5),
                mode: row.int64(6), owner: row.int64(7), group: row.int64(8),
                target: kind == 1 ? row.rawBytes(9) : nil,
                isContentStored: !row.isNull(11) && row.int64(11) != 0)
        }
        guard usable else { return nil }
        var seen = 0
        var result = SnapshotResult(
            id: SnapshotID(latest), fileCount: 0, totalSize: 0, filesRead: 0, filesReused: 0, skipped: [],
            oversizedFiles: [], problems: [], rotation: nil)
        func same(_ path: String, _ kind: Int64, _ status: stat) throws -> Known {
            guard let recorded = known[path], recorded.kind == kind,
                recorded.size == Int64(status.st_size) || kind == 4,
                recorded.mtime == nanoseconds(status.st_mtim), recorded.ctime == nanoseconds(status.st_ctim),
                recorded.inode == Int64(bitPattern: UInt64(status.st_ino)),
                recorded.mode == Int64(status.st_mode & 0o7777), recorded.owner == Int64(status.st_uid),
                recorded.group == Int64(status.st_gid)
            else { throw Differs() }
            seen += 1
            return recorded
        }
        do {
            try DirectoryWalker(root: root, filter: options.filter).walk { entry in
                switch entry {
                case .directory(let path, let status):
                    _ = try same(path, 4, status)
                case .regular(let path, let status):
                    let recorded = try same(path, 0, status)
                    result.fileCount += 1
                    result.filesReused += 1
                    result.totalSize += Int64(status.st_size)
                    if !recorded.isContentStored { result.oversizedFiles.append(path) }
                case .symlink(let path, let status):
                    let recorded = try same(path, 1, status)
                    var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                    let length = RawPath.withCString(DirectoryWalker.sourcePath(of: path, under: root)) {
                        readlink($0, &target, target.count - 1)
                    }
                    guard length >= 0, target[..<length].map({ UInt8(bitPattern: $0) }) == recorded.target
                    else { throw Differs() }
                    result.fileCount += 1
                case .special(let path, let type):
                    result.skipped.append(SkippedEntry(path: path, type: type))
                case .failed:
                    throw Differs()
                }
            }
        } catch is Differs {
            return nil
        }
        return seen == known.count ? result : nil
    }
}
