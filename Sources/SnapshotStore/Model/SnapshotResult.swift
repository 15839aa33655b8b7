/// What ``SnapshotStore/takeSnapshot(of:options:)`` did, for the caller to log.
package struct SnapshotResult: Sendable {
    package var id: SnapshotID
    package var fileCount: Int
    package var totalSize: Int64
    /// Regular files whose bytes were read and hashed.
    package var filesRead: Int
    /// Regular files recognised as unchanged by (size, mtime, ctime, inode), not read again.
    package var filesReused: Int
    /// Sockets, FIFOs and devices found and not recorded.
    package var skipped: [SkippedEntry]
    /// Files above ``SnapshotOptions/maximumStoredFileSize``: recorded by hash only.
    package var oversizedFiles: [String]
    /// Paths recorded as unreadable or vanished, with their kind carrying the reason.
    package var problems: [FileRecord]
    /// Set when rotation ran in the same transaction.
    package var rotation: RotationResult?
    /// The snapshot's link of the hash chain, written in the same transaction.
    package var chain: ChainLink? = nil
    /// True when nothing changed since the latest snapshot: no snapshot was stored, ``id`` is the
    /// latest one, which this cycle confirmed (``chain`` is its link).
    package var isUnchanged = false
}

/// A directory entry that is neither a regular file, a symlink nor a directory, so it was not recorded.
package struct SkippedEntry: Hashable, Sendable {
    package var path: String
    /// "socket", "FIFO", "character device", "block device" or "unknown file type".
    package var type: String
}

/// What a rotation removed.
package struct RotationResult: Hashable, Sendable {
    package var deletedSnapshots: [SnapshotID]
    /// Stored contents no remaining snapshot holds, removed in the same transaction.
    package var deletedBlobs: Int
}
