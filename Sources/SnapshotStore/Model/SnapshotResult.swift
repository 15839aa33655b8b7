/// What ``SnapshotStore/takeSnapshot(of:options:)`` did, for the caller to log.
public struct SnapshotResult: Sendable {
    public var id: SnapshotID
    public var fileCount: Int
    public var totalSize: Int64
    /// Regular files whose bytes were read and hashed.
    public var filesRead: Int
    /// Regular files recognised as unchanged by (size, mtime, ctime, inode), not read again.
    public var filesReused: Int
    /// Sockets, FIFOs and devices found and not recorded.
    public var skipped: [SkippedEntry]
    /// Files above ``SnapshotOptions/maximumStoredFileSize``: recorded by hash only.
    public var oversizedFiles: [String]
    /// Paths recorded as unreadable or vanished, with their kind carrying the reason.
    public var problems: [FileRecord]
    /// Set when rotation ran in the same transaction.
    public var rotation: RotationResult?
    /// The snapshot's link of the hash chain, written in the same transaction.
    public var chain: ChainLink? = nil
    /// True when nothing changed since the latest snapshot: no snapshot was stored, ``id`` is the
    /// latest one, which this cycle confirmed (``chain`` is its link).
    public var isUnchanged = false
}

/// A directory entry that is neither a regular file, a symlink nor a directory, so it was not recorded.
public struct SkippedEntry: Hashable, Sendable {
    public var path: String
    /// "socket", "FIFO", "character device", "block device" or "unknown file type".
    public var type: String
}

/// What a rotation removed.
public struct RotationResult: Hashable, Sendable {
    public var deletedSnapshots: [SnapshotID]
    /// Stored contents no remaining snapshot holds, removed in the same transaction.
    public var deletedBlobs: Int
}
