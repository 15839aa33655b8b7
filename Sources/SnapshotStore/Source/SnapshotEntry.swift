/// One entry a ``SnapshotSource`` yields: a relative path, what it is, and its attributes.
package struct SnapshotEntry {
    /// What an entry is, and for a file, how to read its bytes.
    package enum Kind {
        case file(FileContent)
        /// A directory below the root; its children are entries of their own.
        case directory
        /// A symbolic link, never followed; its target's exact bytes (not necessarily UTF-8).
        case symlink(target: [UInt8])
        /// Listed, but it could not be examined or read: `errno` says why (`ENOENT` or `ENOTDIR`:
        /// it vanished while the snapshot was taken), `reason` words it when the errno text would not.
        case problem(errno: Int32, reason: String? = nil)
        /// A socket, FIFO, device or pseudo file system: reported in the result, never recorded.
        case skipped(type: String)
    }

    /// A ``PathName`` key relative to the source's root (`@effective/…` for a computed file).
    package var path: String
    package var kind: Kind
    package var attributes: EntryAttributes

    package init(path: String, kind: Kind, attributes: EntryAttributes) {
        self.path = path
        self.kind = kind
        self.attributes = attributes
    }
}

/// The bytes of a file entry.
package enum FileContent {
    /// Bytes on disk, opened only when the store needs them: never when the entry's change stamp
    /// matches what the store recorded. The store closes the descriptor it gets.
    case onDisk(open: () -> OpenedContent)
    /// Bytes already in memory (a computed file): always stored in full, whatever their size.
    case inMemory([UInt8])
}

/// What opening a file entry gave.
package enum OpenedContent {
    /// Open for reading, with the attributes of what was opened (a file can change between the
    /// listing and the opening: the store records what it read).
    case opened(descriptor: Int32, attributes: EntryAttributes)
    /// It could not be read: `errno` says why, `reason` words it when the errno text would not.
    case failed(errno: Int32, reason: String? = nil)
}

/// The recorded attributes of an entry.
package struct EntryAttributes: Sendable, Equatable {
    /// Permission bits (`0o7777`), setuid, setgid and sticky included.
    package var mode: UInt32
    /// `nil` when the entry could not be examined at all.
    package var owner: UInt32?
    package var group: UInt32?
    /// `nil` for content that is not a file on disk: recorded with no times and no inode, and
    /// never reused without comparing its bytes.
    package var stamp: ChangeStamp?

    package init(mode: UInt32, owner: UInt32?, group: UInt32?, stamp: ChangeStamp?) {
        self.mode = mode
        self.owner = owner
        self.group = group
        self.stamp = stamp
    }

    /// A path that could not be examined at all: no mode, no owner, no stamp.
    package static let unexamined = EntryAttributes(mode: 0, owner: nil, group: nil, stamp: nil)

    /// A computed file: owner-only, owned by root, as every computed file was always recorded (so
    /// an unchanged computed file keeps its recorded state).
    package static let computed = EntryAttributes(mode: 0o600, owner: 0, group: 0, stamp: nil)
}

/// What says that a file on disk was not changed since it was recorded, without reading it: the
/// same size, modification time, change time and inode. (The store's schema records no device,
/// so the stamp holds none.)
package struct ChangeStamp: Sendable, Equatable {
    package var size: Int64
    package var modificationTimeNanoseconds: Int64
    package var changeTimeNanoseconds: Int64
    package var inode: UInt64

    package init(size: Int64, modificationTimeNanoseconds: Int64, changeTimeNanoseconds: Int64, inode: UInt64)
    {
        self.size = size
        self.modificationTimeNanoseconds = modificationTimeNanoseconds
        self.changeTimeNanoseconds = changeTimeNanoseconds
        self.inode = inode
    }
}
