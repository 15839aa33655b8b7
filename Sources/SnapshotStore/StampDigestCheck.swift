/// The unchanged check of most cycles: the walk's ``StampDigest`` against the one kept with the
/// latest snapshot, nothing else read. Kept (table `stamp_digest`, one row) by the cycle that
/// last found or wrote that snapshot's content at those stamps; a cycle whose walk differs, or a
/// latest snapshot without a digest (taken by an older kms-drift, imported, or holding a file too
/// big to store or a path that could not be read), goes on to the full comparison.
/// Runs inside the caller's transaction.
struct StampDigestCheck {
    let database: Database

    /// A digest kept, and the snapshot whose content it was found at.
    struct Kept {
        let snapshot: Int64
        let digest: [UInt8]
    }

    /// The digest kept for the latest snapshot, when that snapshot was recorded from `root`.
    func kept(forRoot root: String) throws -> Kept? {
        try database.cached(
            """
            SELECT d.snapshot_id, d.digest FROM stamp_digest d JOIN snapshots s ON s.id = d.snapshot_id
            WHERE d.snapshot_id = (SELECT max(id) FROM snapshots) AND s.root = ?
            """
        ).firstRow([.text(root)]) { row in row.rawBytes(1).map { Kept(snapshot: row.int64(0), digest: $0) } }
            ?? nil
    }

    /// What the walk found: the latest snapshot's state, or something else, with the entries it
    /// walked (at most ``maximumReplayedEntries``) for the writer to record without walking again.
    enum Outcome {
        case unchanged(SnapshotResult)
        case changed(walked: ReplayedSource?)
    }

    /// Entries held for the writer at most (about 200 bytes each); a larger tree is walked again.
    static let maximumReplayedEntries = 50_000

    /// Whether `source` yields exactly what `kept` was taken from.
    func check(_ source: some SnapshotSource, against kept: Kept) throws -> Outcome {
        var digest = StampDigest()
        var walked: [SnapshotEntry]? = []
        try source.forEachEntry { entry in
            digest.add(entry)
            if walked != nil {
                if walked!.count < Self.maximumReplayedEntries { walked!.append(entry) } else { walked = nil }
            }
        }
        guard let bytes = digest.finalized(), bytes == kept.digest else {
            return .changed(
                walked: walked.map { ReplayedSource(root: source.root, entries: $0, digest: digest) })
        }
        return .unchanged(
            SnapshotResult(
                id: SnapshotID(kept.snapshot), fileCount: digest.fileCount, totalSize: digest.totalSize,
                filesRead: 0, filesReused: digest.regularFileCount, skipped: digest.skipped,
                oversizedFiles: [],
                problems: [], rotation: nil))
    }

    /// Keeps `digest` as what `result`'s snapshot was found at, or forgets any kept digest when
    /// it cannot vouch for that snapshot: an entry it could not vouch for, a path recorded as
    /// unreadable, or a file whose content is not stored (the result would have to name it).
    func keep(_ digest: StampDigest, for result: SnapshotResult) throws {
        guard let bytes = digest.finalized(), result.problems.isEmpty, result.oversizedFiles.isEmpty else {
            return try database.execute("DELETE FROM stamp_digest")
        }
        try database.cached(
            "INSERT OR REPLACE INTO stamp_digest (singleton, snapshot_id, digest) VALUES (1, ?, ?)"
        ).run([.integer(result.id.rawValue), .blob(bytes)])
    }
}
