import SigningKeys

/// Appends links to the hash chain, inside the caller's write transaction: a snapshot and its
/// link are committed together or not at all, so a `kill -9` never leaves a half-written chain.
struct ChainWriter {
    let database: Database

    /// Chains `snapshot` (already written in this transaction) after the current head.
    @discardableResult
    func append(
        _ snapshot: SnapshotID, metadata: SnapshotMetadata, signingKey: ChainSigningKey?
    ) throws -> ChainLink {
        guard
            let (takenAt, root) = try database.cached("SELECT taken_at_ns, root FROM snapshots WHERE id = ?")
                .firstRow([.integer(snapshot.rawValue)], { ($0.int64(0), $0.text(1)) })
        else { throw SnapshotStoreError.snapshotNotFound(reference: snapshot.description) }
        let head = try database.cached(
            "SELECT snapshot_id, chain_sha256 FROM chain_links ORDER BY snapshot_id DESC LIMIT 1"
        ).firstRow { (SnapshotID($0.int64(0)), ContentHash(bytes: $0.blob(1))) }
        if let head, head.0 >= snapshot {
            throw SnapshotStoreError.invalidArgument(
                "cannot chain snapshot \(snapshot) after \(head.0): the chain only grows with new snapshots")
        }
        let previous = head?.1 ?? .zero
        let manifestHash =
            try unchangedManifestHash(of: snapshot, after: head?.0)
            ?? ChainSerialization.manifestHash(of: snapshot, in: database)
        let chainHash = ChainSerialization.chainHash(
            snapshot: snapshot, previous: previous, takenAtNanoseconds: takenAt, rootPath: root,
            metadata: metadata, manifestHash: manifestHash)
        if let signingKey {
            try ChainSigningGuard(database: database).checkBeforeSigning(snapshot, with: signingKey)
        }
        let signature = try signingKey?.sign(chainHash)
        let link = ChainLink(
            snapshot: snapshot, takenAtNanoseconds: takenAt, rootPath: root, metadata: metadata,
            format: ChainSerialization.currentFormat, manifestHash: manifestHash, previousHash: previous,
            chainHash: chainHash, signature: signature, rotatedAtNanoseconds: nil)
        try insert(link)
        if let signingKey {
            try ChainSigningGuard(database: database).recordSigning(snapshot, with: signingKey)
        }
        return link
    }

    /// The previous link's manifest hash when `snapshot` records exactly the same file states as
    /// that link's snapshot (an unchanged tree: most cycles), so its manifest need not be
    /// serialised again; `nil` otherwise. Sound whatever the rows hold: the manifest is a function
    /// of the states alone, and `verify` re-hashes every held snapshot's manifest.
    private func unchangedManifestHash(of snapshot: SnapshotID, after previous: SnapshotID?) throws
        -> ContentHash?
    {
        guard let previous,
            let counts = try database.cached(
                """
                SELECT (SELECT count(*) FROM entries WHERE snapshot_id = ?1),
                       (SELECT count(*) FROM entries WHERE snapshot_id = ?2),
                       (SELECT count(*) FROM entries a JOIN entries b ON b.snapshot_id = ?2 AND b.state_id = a.state_id
                        WHERE a.snapshot_id = ?1),
                       (SELECT manifest_sha256 FROM chain_links WHERE snapshot_id = ?2)
                """
            ).firstRow(
                [.integer(snapshot.rawValue), .integer(previous.rawValue)],
                {
                    ($0.int64(0), $0.int64(1), $0.int64(2), $0.isNull(3) ? nil : $0.blob(3))
                }),
            counts.0 == counts.1, counts.0 == counts.2, let hash = counts.3
        else { return nil }
        return ContentHash(bytes: hash)
    }

    private func insert(_ link: ChainLink) throws {
        func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
        try database.cached(
            """
            INSERT INTO chain_links (snapshot_id, taken_at_ns, root, host, machine_id, tool_version, origin,
                note, network_fingerprint, format, manifest_sha256, previous_sha256, chain_sha256, signature)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).run([
            .integer(link.snapshot.rawValue), .integer(link.takenAtNanoseconds), .text(link.rootPath),
            text(link.metadata.hostName), text(link.metadata.machineID), text(link.metadata.toolVersion),
            .text(link.metadata.origin.rawValue), text(link.metadata.note),
            text(link.metadata.networkFingerprint),
            .integer(Int64(link.format)), .blob(link.manifestHash.bytes), .blob(link.previousHash.bytes),
            .blob(link.chainHash.bytes), link.signature.map { .blob($0) } ?? .null,
        ])
    }

    /// Marks links whose snapshots rotation deleted: their rows stay, the chain stays whole.
    func markRotated(_ snapshots: [SnapshotID], at nanoseconds: Int64) throws {
        let statement = try database.cached(
            "UPDATE chain_links SET rotated_at_ns = ? WHERE snapshot_id = ? AND rotated_at_ns IS NULL")
        for snapshot in snapshots {
            try statement.run([.integer(nanoseconds), .integer(snapshot.rawValue)])
        }
    }

    private static let linkColumns = """
        SELECT snapshot_id, taken_at_ns, root, host, machine_id, tool_version, origin, note,
            network_fingerprint, format, manifest_sha256, previous_sha256, chain_sha256, signature,
            rotated_at_ns
        FROM chain_links
        """

    /// Every link, oldest first.
    func links() throws -> [ChainLink] {
        var links: [ChainLink] = []
        try database.cached(Self.linkColumns + " ORDER BY snapshot_id").forEachRow {
            links.append(Self.link($0))
        }
        return links
    }

    /// The link of one snapshot, if it has one.
    func link(of snapshot: SnapshotID) throws -> ChainLink? {
        try database.cached(Self.linkColumns + " WHERE snapshot_id = ?").firstRow(
            [.integer(snapshot.rawValue)], Self.link)
    }

    static func link(_ row: Statement) -> ChainLink {
        ChainLink(
            snapshot: SnapshotID(row.int64(0)), takenAtNanoseconds: row.int64(1), rootPath: row.text(2),
            metadata: SnapshotMetadata(
                hostName: row.optionalText(3), machineID: row.optionalText(4),
                toolVersion: row.optionalText(5),
                origin: SnapshotOrigin(rawValue: row.text(6)) ?? .unknown, note: row.optionalText(7),
                networkFingerprint: row.optionalText(8)),
            format: Int(row.int64(9)), manifestHash: ContentHash(bytes: row.blob(10)),
            previousHash: ContentHash(bytes: row.blob(11)), chainHash: ContentHash(bytes: row.blob(12)),
            signature: row.isNull(13) ? nil : row.blob(13), rotatedAtNanoseconds: row.optionalInt64(14))
    }
}
