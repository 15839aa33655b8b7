import FoundationEssentials

/// One link of the history's hash chain: what is kept of a snapshot for ever, even after
/// rotation deleted its files, so the chain stays checkable back to the first snapshot taken.
package struct ChainLink: Sendable, Hashable {
    package var snapshot: SnapshotID
    package var takenAtNanoseconds: Int64
    /// The directory that was snapshotted.
    package var rootPath: String
    package var metadata: SnapshotMetadata
    /// The serialisation version the hashes were computed with (see ``ChainSerialization``).
    package var format: Int
    /// SHA-256 of the snapshot's canonical manifest (its files, sorted by path bytes).
    package var manifestHash: ContentHash
    /// The chain hash of the link before this one (32 zero bytes for the first link).
    package var previousHash: ContentHash
    /// SHA-256 of this link's canonical header, which holds `previousHash` and `manifestHash`.
    package var chainHash: ContentHash
    /// Ed25519 signature of the 32 bytes of `chainHash`, when `[store] signing_key` was set.
    package var signature: [UInt8]?
    /// When rotation deleted the snapshot's files; `nil` while the snapshot is held.
    package var rotatedAtNanoseconds: Int64?

    package var takenAt: Date { Date(timeIntervalSince1970: Double(takenAtNanoseconds) / 1_000_000_000) }
}

extension ContentHash {
    /// The predecessor of the first link.
    package static let zero = ContentHash(bytes: [UInt8](repeating: 0, count: 32))
}
