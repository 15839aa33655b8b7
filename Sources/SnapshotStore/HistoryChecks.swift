import FoundationEssentials

/// What makes the history a list of distinct states: a cycle that finds what the latest snapshot
/// recorded stores nothing, and only marks that snapshot checked. Runs inside the caller's write
/// transaction.
struct HistoryChecks {
    let database: Database

    /// The snapshot just before `candidate` when both record the same root and the same manifest
    /// (paths, kinds, modes, owners, sizes, link targets, content hashes and virtual files: see
    /// ``ManifestDigest``); `nil` when anything differs, or either has no digest.
    func sameAsPrevious(_ candidate: SnapshotID) throws -> SnapshotID? {
        try database.cached(
            """
            SELECT p.id FROM snapshots n JOIN snapshots p
              ON p.id = (SELECT max(id) FROM snapshots WHERE id < n.id)
            WHERE n.id = ? AND p.root = n.root AND p.file_count = n.file_count
              AND p.manifest_digest IS NOT NULL AND p.manifest_digest = n.manifest_digest
            """
        ).firstRow([.integer(candidate.rawValue)]) { SnapshotID($0.int64(0)) }
    }

    /// Records that a cycle found `snapshot`'s state unchanged at `nanoseconds`.
    func confirm(_ snapshot: SnapshotID, at nanoseconds: Int64) throws {
        try database.cached(
            "UPDATE snapshots SET checked_at_ns = ?, unchanged_checks = unchanged_checks + 1 WHERE id = ?"
        ).run([.integer(nanoseconds), .integer(snapshot.rawValue)])
    }
}

/// The last cycle's check: when it ran, and the state it found.
package struct LastCheck: Hashable, Sendable {
    /// The snapshot whose state the last cycle found (taken by it, or confirmed unchanged).
    package var snapshot: SnapshotID
    package var checkedAt: Date
    /// Cycles that found this state unchanged after it was taken.
    package var unchangedChecks: Int
}

extension SnapshotStore {
    static let storeIdentityKeyName = "store-identity"

    /// This store's identity (see ``StoreIdentity``): made with the store, or by the migration to
    /// schema 6 for an older one; made now if it went missing.
    package func storeIdentity() throws -> StoreIdentity {
        let select = "SELECT key FROM store_keys WHERE name = ?"
        if let bytes = try database.cached(select).firstRow(
            [.text(Self.storeIdentityKeyName)], { $0.blob(0) }),
            bytes.count == 8
        {
            return StoreIdentity(bytes: bytes)
        }
        let identity = StoreIdentity.random()
        try database.writeTransaction {
            try database.cached("INSERT OR REPLACE INTO store_keys (name, key) VALUES (?, ?)")
                .run([.text(Self.storeIdentityKeyName), .blob(identity.bytes)])
        }
        return identity
    }

    /// The latest check of the watched state: the newest snapshot and when a cycle last found it;
    /// `nil` for an empty store.
    package func lastCheck() throws -> LastCheck? {
        try database.cached(
            """
            SELECT id, coalesce(checked_at_ns, taken_at_ns), unchanged_checks FROM snapshots
            ORDER BY id DESC LIMIT 1
            """
        ).firstRow { row in
            LastCheck(
                snapshot: SnapshotID(row.int64(0)),
                checkedAt: Date(timeIntervalSince1970: Double(row.int64(1)) / 1_000_000_000),
                unchangedChecks: Int(row.int64(2)))
        }
    }

    /// Every held snapshot with why `policy` keeps it (the baseline, the previous baseline, pinned,
    /// newest N, or the newest of a period), oldest first: what `list` shows, and exactly what the
    /// next rotation keeps.
    package func listSnapshots(policy: RetentionPolicy) throws -> [SnapshotSummary] {
        try database.readTransaction {
            var summaries = try listSnapshots()
            let reasons = policy.reasons(for: try Rotation(database: database).candidates())
            for index in summaries.indices {
                summaries[index].keptBecause = reasons[summaries[index].id] ?? []
            }
            return summaries
        }
    }
}
