extension SnapshotStore {
    /// The records of the paths whose recorded state differs between two snapshots: changed, added
    /// or removed, each side's record under its path (a path missing on one side was added or
    /// removed).
    ///
    /// File states are shared by every snapshot in which a file did not change, so this merges the
    /// two sorted state-id lists and loads only the states found on one side, each by its primary
    /// key, all in one read transaction: a cycle in which ten files of ten thousand changed loads
    /// ten records, and one in which fifty thousand changed costs fifty thousand key lookups, not a
    /// transaction (and its file locks) per file.
    package func differingRecords(_ first: SnapshotReference, _ second: SnapshotReference) throws
        -> (first: [String: FileRecord], second: [String: FileRecord])
    {
        try database.readTransaction {
            let a = try stateIDs(of: try resolve(first))
            let b = try stateIDs(of: try resolve(second))
            var onlyFirst: [Int64] = []
            var onlySecond: [Int64] = []
            var i = 0
            var j = 0
            while i < a.count || j < b.count {
                if j == b.count || (i < a.count && a[i] < b[j]) {
                    onlyFirst.append(a[i])
                    i += 1
                } else if i == a.count || b[j] < a[i] {
                    onlySecond.append(b[j])
                    j += 1
                } else {
                    i += 1
                    j += 1
                }
            }
            return (try records(ofStates: onlyFirst), try records(ofStates: onlySecond))
        }
    }

    /// The paths whose recorded state differs between two snapshots: changed, added or removed.
    package func differingPaths(_ first: SnapshotReference, _ second: SnapshotReference) throws -> Set<String>
    {
        let (a, b) = try differingRecords(first, second)
        return Set(a.keys).union(b.keys)
    }

    private func stateIDs(of snapshot: SnapshotID) throws -> [Int64] {
        var ids: [Int64] = []
        try database.cached("SELECT state_id FROM entries WHERE snapshot_id = ? ORDER BY state_id")
            .forEachRow([.integer(snapshot.rawValue)]) { ids.append($0.int64(0)) }
        return ids
    }

    private func records(ofStates states: [Int64]) throws -> [String: FileRecord] {
        var records: [String: FileRecord] = [:]
        records.reserveCapacity(states.count)
        let query = try database.cached(ManifestQuery.oneStateSQL)
        for state in states {
            if let record = try query.firstRow([.integer(state)], ManifestQuery.record) {
                records[record.path] = record
            }
        }
        return records
    }
}
