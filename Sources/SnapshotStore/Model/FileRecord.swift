/// What a recorded path was when the snapshot was taken.
package enum FileKind: Hashable, Sendable {
    case regular
    /// A symbolic link (never followed) and its target, as a `PathName` key (bytes that are not
    /// UTF-8 escaped).
    case symlink(target: String)
    /// The path was listed but could not be read; `reason` is the errno meaning (e.g. "Permission denied").
    case unreadable(reason: String)
    /// The path was listed but disappeared before it could be read. Not the same as "removed".
    case vanished(reason: String)
}

/// One path of a snapshot with the metadata recorded for it.
package struct FileRecord: Hashable, Sendable {
    /// Path relative to the snapshotted directory, `/`-separated: a `PathName` key, so a name that
    /// is not UTF-8 is `bad\xff.toml` here and its exact bytes on disk.
    package var path: String
    package var kind: FileKind
    /// Permission bits (`st_mode & 0o7777`).
    package var mode: UInt32
    package var size: Int64
    package var modificationTimeNanoseconds: Int64
    package var changeTimeNanoseconds: Int64
    package var inode: UInt64
    /// SHA-256 of the content, for regular files that could be read.
    package var contentHash: ContentHash?
    /// `false` when only the hash is known (file above the size limit).
    package var isContentStored: Bool
    /// Owner and group ids; `nil` in snapshots taken before kms-drift recorded them.
    package var owner: UInt32? = nil
    package var group: UInt32? = nil
}
