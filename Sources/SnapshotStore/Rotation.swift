/// Keeps the newest snapshots and removes the rest, together with everything only they held.
///
/// The baseline and pinned snapshots are kept whatever their age, on top of the newest `keepNewest`.
/// Runs inside the caller's write transaction, so a rotation is never half done.
struct Rotation {
    let database: Database

    func rotate(keepNewest: Int) throws -> RotationResult {
        guard keepNewest >= 1 else {
            throw SnapshotStoreError.invalidArgument(
                "rotation must keep at least 1 snapshot (asked to keep \(keepNewest))")
        }
        var doomed: [SnapshotID] = []
        try database.prepare(
            """
            SELECT id FROM snapshots
            WHERE pinned = 0
              AND id NOT IN (SELECT snapshot_id FROM baseline)
              AND id NOT IN (SELECT id FROM snapshots ORDER BY id DESC LIMIT ?)
            ORDER BY id
            """
        ).forEachRow([.integer(Int64(keepNewest))]) { doomed.append(SnapshotID($0.int64(0))) }
        guard !doomed.isEmpty else { return RotationResult(deletedSnapshots: [], deletedBlobs: 0) }
        let deleteSnapshot = try database.prepare("DELETE FROM snapshots WHERE id = ?")
        for id in doomed {
            try deleteSnapshot.run([.integer(id.rawValue)])  // entries go with it (ON DELETE CASCADE)
        }
        // The chain rows stay: the history remains checkable back to the first snapshot.
        try ChainWriter(database: database).markRotated(doomed, at: currentTimeNanoseconds())
        let deletedBlobs = try collectGarbage()
        return RotationResult(deletedSnapshots: doomed, deletedBlobs: deletedBlobs)
    }

    /// Deletes file states, blobs (with their chunks) and paths that no snapshot holds any more.
    /// Returns the number of blobs removed.
    func collectGarbage() throws -> Int {
        try database.execute("DELETE FROM file_states WHERE id NOT IN (SELECT state_id FROM entries)")
        try database.execute(
            "DELETE FROM blobs WHERE id NOT IN (SELECT blob_id FROM file_states WHERE blob_id IS NOT NULL)")
        let blobs = database.changes
        try database.execute("DELETE FROM paths WHERE id NOT IN (SELECT path_id FROM file_states)")
        return blobs
    }
}
