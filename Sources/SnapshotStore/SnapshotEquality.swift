extension SnapshotStore {
    /// True when two snapshots recorded exactly the same files in the same states (content,
    /// mode, link targets). File states are shared between snapshots in which a file did not
    /// change, so this is a comparison of two id sets in SQL, without loading any manifest:
    /// the common case of a cycle that finds nothing changed stays cheap.
    public func haveSameFiles(_ first: SnapshotReference, _ second: SnapshotReference) throws -> Bool {
        let a = try resolve(first)
        let b = try resolve(second)
        if a == b { return true }
        // The manifest's primary key is (snapshot_id, state_id): both lists come out sorted.
        return try stateIDs(of: a) == stateIDs(of: b)
    }

    private func stateIDs(of snapshot: SnapshotID) throws -> [Int64] {
        var ids: [Int64] = []
        try database.cached("SELECT state_id FROM entries WHERE snapshot_id = ? ORDER BY state_id")
            .forEachRow([.integer(snapshot.rawValue)]) { ids.append($0.int64(0)) }
        return ids
    }
}
