import Crypto
import FileSystem

/// Decides, writing nothing, that a source yields exactly what the latest snapshot recorded: the
/// same paths, each with the same size, mtime, ctime, inode, mode, owner and group (and link
/// target), so none needs reading again; content held in memory (a computed file) is compared by
/// its SHA-256. The cheap answer for the common cycle; anything it cannot vouch for (a new,
/// changed or unreadable path, a file on disk without change stamp, a snapshot recorded
/// differently) is left to a full write, which then compares manifests.
struct UnchangedCheck {
    let database: Database
    /// The latest snapshot's states, as loaded for this snapshot (shared with the writer).
    let latest: LatestStates

    /// Stops the walk at the first difference.
    private struct Differs: Error {}

    /// The latest snapshot's result for this source when nothing changed; `nil` when something may have.
    func check(_ source: some SnapshotSource) throws -> SnapshotResult? {
        guard let latestID = latest.snapshotID, latest.root == source.root, latest.isReproducibleFromMetadata
        else { return nil }
        let known = latest.byPath
        var seen = 0
        var result = SnapshotResult(
            id: SnapshotID(latestID), fileCount: 0, totalSize: 0, filesRead: 0, filesReused: 0, skipped: [],
            oversizedFiles: [], problems: [], rotation: nil)
        func same(_ entry: SnapshotEntry, _ kind: Int64, size: Int64? = nil) throws -> LatestStates.State {
            let attributes = entry.attributes
            let stamp = attributes.stamp
            guard let recorded = known[entry.path], recorded.kind == kind,
                recorded.size == (size ?? stamp?.size ?? 0) || kind == 4,
                recorded.mtime == stamp?.modificationTimeNanoseconds ?? 0,
                recorded.ctime == stamp?.changeTimeNanoseconds ?? 0,
                recorded.inode == Int64(bitPattern: stamp?.inode ?? 0),
                recorded.mode == Int64(attributes.mode),
                recorded.owner == attributes.owner.map({ Int64($0) }),
                recorded.group == attributes.group.map({ Int64($0) })
            else { throw Differs() }
            seen += 1
            return recorded
        }
        do {
            try source.forEachEntry { entry in
                switch entry.kind {
                case .directory:
                    _ = try same(entry, 4)
                case .file(.onDisk):
                    guard entry.attributes.stamp != nil else { throw Differs() }
                    let recorded = try same(entry, 0)
                    result.fileCount += 1
                    result.filesReused += 1
                    result.totalSize += recorded.size
                    if !recorded.isContentStored { result.oversizedFiles.append(entry.path) }
                case .file(.inMemory(let bytes)):
                    let recorded = try same(entry, 0, size: Int64(bytes.count))
                    guard recorded.isContentStored, let blobID = recorded.blobID,
                        try storedHash(blobID) == Array(SHA256.hash(data: bytes))
                    else { throw Differs() }
                    result.fileCount += 1
                    result.filesReused += 1
                    result.totalSize += recorded.size
                case .symlink(let target):
                    let recorded = try same(entry, 1)
                    guard target == recorded.target else { throw Differs() }
                    result.fileCount += 1
                case .skipped(let type):
                    result.skipped.append(SkippedEntry(path: entry.path, type: type))
                case .problem:
                    throw Differs()
                }
            }
        } catch is Differs {
            return nil
        }
        return seen == known.count ? result : nil
    }

    private func storedHash(_ blobID: Int64) throws -> [UInt8]? {
        try database.cached("SELECT sha256 FROM blobs WHERE id = ?").firstRow([.integer(blobID)]) {
            $0.rawBytes(0)
        } ?? nil
    }
}
