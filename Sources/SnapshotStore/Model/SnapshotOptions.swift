import SigningKeys

/// What to record when taking a snapshot.
package struct SnapshotOptions: Sendable {
    /// Files larger than this are recorded by hash only, and reported in ``SnapshotResult/oversizedFiles``.
    package var maximumStoredFileSize: Int64
    /// When set, rotation runs in the same transaction as a new snapshot, keeping what it names.
    package var retention: RetentionPolicy?
    /// The newest snapshots rotation keeps (``retention``'s `keep`; setting it drops the time tiers).
    package var keepNewest: Int? {
        get { retention?.keep }
        set { retention = newValue.map { RetentionPolicy(keep: $0) } }
    }
    /// Store a snapshot only when something changed since the latest one (content, mode, owner,
    /// link target, the set of files, a computed file); an unchanged state then only marks the latest
    /// snapshot checked (``SnapshotResult/isUnchanged``). Off here, the store's mechanism; on in
    /// every snapshot a configuration takes (the history is a list of distinct states).
    package var onlyWhenChanged = false
    /// The snapshot's time instead of the clock's: a test seam for retention by period.
    package var takenAtNanoseconds: Int64? = nil
    /// Who takes the snapshot, where, and why: kept with it and covered by its chain hash.
    package var metadata: SnapshotMetadata
    /// Signs the snapshot's chain link (`[store] signing_key`); `nil` leaves it unsigned.
    package var signingKey: ChainSigningKey?
    /// How to compute the network fingerprint recorded in the metadata, from the bytes of one
    /// recorded file (`[validate] kms_config`); `nil` records none.
    package var networkFingerprint: NetworkFingerprintSource?

    package init(
        maximumStoredFileSize: Int64 = 16 << 20,
        keepNewest: Int? = nil, metadata: SnapshotMetadata = .current(origin: .snapshot),
        signingKey: ChainSigningKey? = nil, networkFingerprint: NetworkFingerprintSource? = nil
    ) {
        self.maximumStoredFileSize = maximumStoredFileSize
        self.retention = keepNewest.map { RetentionPolicy(keep: $0) }
        self.metadata = metadata
        self.signingKey = signingKey
        self.networkFingerprint = networkFingerprint
    }
}

/// The file of a snapshot whose network fingerprint goes into the snapshot's metadata, and how
/// to compute it (KMSValidation's `NetworkFingerprint`, supplied by the configuration).
package struct NetworkFingerprintSource: Sendable {
    /// Relative to the snapshotted directory.
    package var relativePath: String
    /// The fingerprint of the file's bytes, or `nil` when they do not parse.
    package var compute: @Sendable ([UInt8]) -> String?

    package init(relativePath: String, compute: @escaping @Sendable ([UInt8]) -> String?) {
        self.relativePath = relativePath
        self.compute = compute
    }
}
