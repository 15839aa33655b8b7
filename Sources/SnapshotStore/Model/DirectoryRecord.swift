/// A directory of a snapshot: what a restore needs to give it back its mode and owner.
public struct DirectoryRecord: Hashable, Sendable {
    /// Path relative to the snapshotted directory (a `PathName` key).
    public var path: String
    /// Permission bits (`st_mode & 0o7777`).
    public var mode: UInt32
    public var owner: UInt32
    public var group: UInt32
    /// The size `lstat` gave when the directory was recorded (file-system dependent; part of the
    /// chain's manifest line, so an export carries it).
    public var size: Int64 = 0
    public var modificationTimeNanoseconds: Int64 = 0
}
