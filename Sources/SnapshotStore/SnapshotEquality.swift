extension SnapshotStore {
    /// The paths whose recorded state differs between two snapshots: changed, added or removed.
    /// File states are shared by every snapshot in which a file did not change, so this is a
    /// comparison of id lists, found by merging the two sorted state-id lists, so a cycle in which ten files of ten
    /// thousand changed loads ten file records, not two manifests.
    public func differingPaths(_ first: SnapshotReference, _ second: SnapshotReference) throws -> Set<String>
    {
        let a = try stateIDs(of: try resolve(first))
        let b = try stateIDs(of: try resolve(second))
        var only: [Int64] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i] < b[j]) {
                only.append(a[i])
                i += 1
            } else if i == a.count || b[j] < a[i] {
                only.append(b[j])
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        var paths = Set<String>()
        let query = try database.cached(
            "SELECT p.path FROM file_states s JOIN paths p ON p.id = s.path_id WHERE s.id = ?")
        for state in only {
            if let path = try query.firstRow([.integer(state)], { $0.pathKey(0) }) { paths.insert(path) }
        }
        return paths
    }

    private func stateIDs(of snapshot: SnapshotID) throws -> [Int64] {
        var ids: [Int64] = []
        try database.cached("SELECT state_id FROM entries WHERE snapshot_id = ? ORDER BY state_id")
            .forEachRow([.integer(snapshot.rawValue)]) { ids.append($0.int64(0)) }
        return ids
    }
}
