/// Keeps the snapshots a ``RetentionPolicy`` names and removes the rest, together with everything
/// only they held.
///
/// The baseline, the previous baseline and pinned snapshots are kept whatever their age, on top of
/// the policy. Runs inside the caller's write transaction, so a rotation is never half done.
struct Rotation {
    let database: Database

    func rotate(keepNewest: Int) throws -> RotationResult {
        try rotate(policy: RetentionPolicy(keep: keepNewest))
    }

    func rotate(policy: RetentionPolicy) throws -> RotationResult {
        guard policy.keep >= 1 else {
            throw SnapshotStoreError.invalidArgument(
                "rotation must keep at least 1 snapshot (asked to keep \(policy.keep))")
        }
        let all = try candidates()
        let reasons = policy.reasons(for: all)
        let doomed = all.map(\.id).filter { (reasons[$0] ?? []).isEmpty }.sorted()
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

    /// Every held snapshot with what the policy needs to know of it.
    func candidates() throws -> [RetentionPolicy.Candidate] {
        var candidates: [RetentionPolicy.Candidate] = []
        try database.cached(
            """
            SELECT s.id, s.taken_at_ns, s.pinned,
                s.id IN (SELECT snapshot_id FROM baseline),
                s.id IN (SELECT previous_snapshot_id FROM baseline WHERE previous_snapshot_id IS NOT NULL)
            FROM snapshots s ORDER BY s.id
            """
        ).forEachRow { row in
            candidates.append(
                RetentionPolicy.Candidate(
                    id: SnapshotID(row.int64(0)), takenAtNanoseconds: row.int64(1),
                    isBaseline: row.int64(3) != 0,
                    isPreviousBaseline: row.int64(4) != 0, isPinned: row.int64(2) != 0))
        }
        return candidates
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
