/// The latest snapshot's recorded states by path, loaded in one query once per snapshot taken and
/// read by both the unchanged check and the writer: an unchanged entry costs a dictionary lookup
/// instead of two index searches.
struct LatestStates {
    /// One recorded path of the latest snapshot.
    struct State {
        let stateID: Int64
        let kind: Int64
        let mtime: Int64
        let ctime: Int64
        let size: Int64
        let inode: Int64
        let mode: Int64
        /// `nil` for states recorded before owners were (schema version 3), and for paths that
        /// could not be examined.
        let owner: Int64?
        let group: Int64?
        let blobID: Int64?
        /// A symlink's recorded target.
        let target: [UInt8]?
        let isContentStored: Bool

        var isDirectory: Bool { kind == 4 }
    }

    /// The latest snapshot, or `nil` for an empty store.
    let snapshotID: Int64?
    /// The root it was recorded from.
    let root: String?
    let byPath: [String: State]
    /// False when the latest snapshot holds a state that only a full write can reproduce: an
    /// unreadable or vanished path (reported again), a state without owner (given one), a file
    /// without content hash.
    let isReproducibleFromMetadata: Bool

    static let none = LatestStates(snapshotID: nil, root: nil, byPath: [:], isReproducibleFromMetadata: false)

    static func load(from database: Database) throws -> LatestStates {
        guard
            let (latest, root) = try database.cached(
                "SELECT id, root FROM snapshots ORDER BY id DESC LIMIT 1"
            )
            .firstRow([], { ($0.int64(0), $0.text(1)) })
        else { return .none }
        // Sized up front: growing a ten-thousand-entry dictionary rehashes every key several times.
        let count = try database.scalarInt64(
            "SELECT count(*) FROM entries WHERE snapshot_id = ?", [.integer(latest)])
        var byPath: [String: State] = [:]
        byPath.reserveCapacity(Int(count ?? 0))
        var reproducible = true
        try database.cached(
            """
            SELECT p.path, s.id, s.kind, s.mtime_ns, s.ctime_ns, s.size, s.inode, s.mode, s.uid, s.gid,
                s.detail, s.blob_id, b.stored
            FROM entries e JOIN file_states s ON s.id = e.state_id JOIN paths p ON p.id = s.path_id
            LEFT JOIN blobs b ON b.id = s.blob_id WHERE e.snapshot_id = ?
            """
        ).forEachRow([.integer(latest)]) { row in
            let kind = row.int64(2)
            let state = State(
                stateID: row.int64(1), kind: kind, mtime: row.int64(3), ctime: row.int64(4),
                size: row.int64(5),
                inode: row.int64(6), mode: row.int64(7), owner: row.optionalInt64(8),
                group: row.optionalInt64(9),
                blobID: row.optionalInt64(11), target: kind == 1 ? row.rawBytes(10) : nil,
                isContentStored: !row.isNull(12) && row.int64(12) != 0)
            if !(kind == 0 || kind == 1 || kind == 4) || state.owner == nil || state.group == nil
                || (kind == 0 && state.blobID == nil)
            {
                reproducible = false
            }
            byPath[row.pathKey(0)] = state
        }
        return LatestStates(
            snapshotID: latest, root: root, byPath: byPath, isReproducibleFromMetadata: reproducible)
    }
}
