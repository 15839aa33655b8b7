/// Refuses to open (or migrate) a store whose chain was removed behind kms-drift's back: a schema
/// version set back below one this file has held, or a chain table that vanished. Migrating such
/// a store would re-chain an edited history without a word, and a signed cycle would then sign
/// the rewrite; this is damage, said as such, and never repaired silently.
enum ChainDamageCheck {
    /// The schema version that created `chain_links`.
    static let chainVersion = 5

    /// Throws ``SnapshotStoreError/chainDamaged(path:reason:)`` when the store at `version` shows
    /// that its chain was removed.
    static func check(_ database: Database, version: Int) throws {
        let marks = ChainMarks(database: database)
        let hasChainTable = try tableExists("chain_links", in: database)
        if let highest = try marks.schemaHighWater(), highest > version {
            throw SnapshotStoreError.chainDamaged(
                path: database.path,
                reason: "its schema version was set back from \(highest) to \(version)"
                    + (hasChainTable ? "" : " and its chain table (chain_links) was dropped"))
        }
        let chainBegan = try marks.value(.chainBegan) != nil
        if !hasChainTable, version >= chainVersion || chainBegan {
            throw SnapshotStoreError.chainDamaged(
                path: database.path, reason: "its chain table (chain_links) was dropped")
        }
        if hasChainTable, version < chainVersion, version > 0 {
            throw SnapshotStoreError.chainDamaged(
                path: database.path,
                reason: "it holds a chain table but its schema version was set back to \(version)")
        }
    }
}
