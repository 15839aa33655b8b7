import SigningKeys

extension SnapshotStore {
    /// Chains a snapshot just written in the current transaction: its metadata (with the network
    /// fingerprint of the configured file, computed from the bytes just recorded) and its link.
    func chainSnapshot(_ snapshot: SnapshotID, options: SnapshotOptions) throws -> ChainLink {
        var metadata = options.metadata
        if let source = options.networkFingerprint,
            let bytes = try? recordedBytes(of: source.relativePath, in: snapshot)
        {
            metadata.networkFingerprint = SnapshotMetadata.nonEmpty(source.compute(bytes))
        }
        return try ChainWriter(database: database).append(
            snapshot, metadata: metadata, signingKey: options.signingKey)
    }

    /// The stored bytes of one file of a snapshot, inside the caller's transaction.
    private func recordedBytes(of path: String, in snapshot: SnapshotID) throws -> [UInt8]? {
        do {
            return try contents(of: path, in: .id(snapshot))
        } catch SnapshotStoreError.fileNotInSnapshot {
            return nil
        } catch SnapshotStoreError.contentNotStored {
            return nil
        }
    }

    /// Every link of the hash chain, oldest first, including those of rotated snapshots.
    package func chainLinks() throws -> [ChainLink] {
        try database.readTransaction { try ChainWriter(database: database).links() }
    }

    /// The newest link: the head an operator or a log line witnesses; `nil` for an empty store.
    package func chainHead() throws -> ChainLink? {
        try chainLinks().last
    }

    /// The link of one snapshot.
    package func chainLink(of reference: SnapshotReference) throws -> ChainLink? {
        try database.readTransaction {
            let id = try resolve(reference)
            return try ChainWriter(database: database).link(of: id)
        }
    }

    /// The canonical manifest text of a held snapshot (see ``ChainSerialization``), as hashed
    /// into its link: for a person re-checking a chain hash by hand.
    package func canonicalManifest(of reference: SnapshotReference) throws -> String {
        try database.readTransaction {
            try ChainSerialization.manifestText(of: try resolve(reference), in: database)
        }
    }

    /// Re-checks every link of the chain; see ``ChainVerifier``.
    package func verifyChain(
        publicKey: ChainPublicKey? = nil, witnesses: [ChainWitness] = []
    ) throws -> ChainVerification {
        try database.readTransaction {
            try ChainVerifier(database: database).verify(publicKey: publicKey, witnesses: witnesses)
        }
    }
}
