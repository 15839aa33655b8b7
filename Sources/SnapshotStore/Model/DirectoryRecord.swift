/// A directory of a snapshot: what a restore needs to give it back its mode and owner.
package struct DirectoryRecord: Hashable, Sendable {
    /// Path relative to the snapshotted directory (a `PathName` key).
    package var path: String
    /// Permission bits (`st_mode & 0o7777`).
    package var mode: UInt32
    package var owner: UInt32
    package var group: UInt32
    /// The size `lstat` gave when the directory was recorded (file-system dependent; part of the
    /// chain's manifest line, so an export carries it).
    package var size: Int64 = 0
    package var modificationTimeNanoseconds: Int64 = 0
}
