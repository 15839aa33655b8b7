import FoundationEssentials

/// A snapshot's number, stable for the life of the database (ids are never reused after rotation).
/// Shown to people as `#12`.
public struct SnapshotID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { "#\(rawValue)" }
    public static func < (lhs: SnapshotID, rhs: SnapshotID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How a caller names a snapshot: by id, or by one of the references the store resolves.
public enum SnapshotReference: Hashable, Sendable, CustomStringConvertible {
    case id(SnapshotID)
    /// The most recent snapshot.
    case latest
    /// The snapshot set with ``SnapshotStore/setBaseline(_:reason:)``.
    case baseline

    /// Parses `#12`, `12`, `latest` or `baseline`; `nil` for anything else.
    public init?(parsing text: String) {
        switch text {
        case "latest": self = .latest
        case "baseline": self = .baseline
        default:
            let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
            guard let number = Int64(digits), number > 0 else { return nil }
            self = .id(SnapshotID(number))
        }
    }

    public var description: String {
        switch self {
        case .id(let id): return id.description
        case .latest: return "latest"
        case .baseline: return "baseline"
        }
    }
}

/// A SHA-256 of a file's bytes: the key of content-addressed storage.
public struct ContentHash: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses 64 hexadecimal digits.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = hexValue(utf8[index]), let low = hexValue(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.bytes = bytes
    }

    /// Lower-case hexadecimal.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { "sha256:\(hex)" }
}

private func hexValue(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
    default: return nil
    }
}

/// What a recorded path was when the snapshot was taken.
public enum FileKind: Hashable, Sendable {
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
public struct FileRecord: Hashable, Sendable {
    /// Path relative to the snapshotted directory, `/`-separated: a `PathName` key, so a name that
    /// is not UTF-8 is `bad\xff.toml` here and its exact bytes on disk.
    public var path: String
    public var kind: FileKind
    /// Permission bits (`st_mode & 0o7777`).
    public var mode: UInt32
    public var size: Int64
    public var modificationTimeNanoseconds: Int64
    public var changeTimeNanoseconds: Int64
    public var inode: UInt64
    /// SHA-256 of the content, for regular files that could be read.
    public var contentHash: ContentHash?
    /// `false` when only the hash is known (file above the size limit).
    public var isContentStored: Bool
    /// Owner and group ids; `nil` in snapshots taken before kms-drift recorded them.
    public var owner: UInt32? = nil
    public var group: UInt32? = nil
}

/// A directory of a snapshot: what a restore needs to give it back its mode and owner.
public struct DirectoryRecord: Hashable, Sendable {
    /// Path relative to the snapshotted directory (a `PathName` key).
    public var path: String
    /// Permission bits (`st_mode & 0o7777`).
    public var mode: UInt32
    public var owner: UInt32
    public var group: UInt32
}

/// A row of the snapshot list.
public struct SnapshotSummary: Hashable, Sendable {
    public var id: SnapshotID
    public var takenAt: Date
    /// The directory that was snapshotted, as given to ``SnapshotStore/takeSnapshot(of:options:)``.
    public var rootPath: String
    public var fileCount: Int
    /// Sum of the sizes of the regular files.
    public var totalSize: Int64
    public var isBaseline: Bool
    public var isPinned: Bool
    /// Why this snapshot was made the baseline, when it is the baseline.
    public var baselineReason: String?
    public var baselineSetAt: Date?
}

/// What to record when taking a snapshot.
public struct SnapshotOptions: Sendable {
    /// Glob patterns (`fnmatch`, `*` also crosses `/`) on relative paths; when not empty, only matching
    /// files are recorded.
    public var include: [String]
    /// Glob patterns on relative paths; a matching file is not recorded and a matching directory not entered.
    public var exclude: [String]
    /// Files larger than this are recorded by hash only, and reported in ``SnapshotResult/oversizedFiles``.
    public var maximumStoredFileSize: Int64
    /// When set, rotation runs in the same transaction as the snapshot, keeping this many newest snapshots.
    public var keepNewest: Int?

    public init(
        include: [String] = [], exclude: [String] = [], maximumStoredFileSize: Int64 = 16 << 20,
        keepNewest: Int? = nil
    ) {
        self.include = include
        self.exclude = exclude
        self.maximumStoredFileSize = maximumStoredFileSize
        self.keepNewest = keepNewest
    }
}

/// A directory entry that is neither a regular file, a symlink nor a directory, so it was not recorded.
public struct SkippedEntry: Hashable, Sendable {
    public var path: String
    /// "socket", "FIFO", "character device", "block device" or "unknown file type".
    public var type: String
}

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
}

/// What a rotation removed.
public struct RotationResult: Hashable, Sendable {
    public var deletedSnapshots: [SnapshotID]
    /// Stored contents no remaining snapshot holds, removed in the same transaction.
    public var deletedBlobs: Int
}

/// One problem found by ``SnapshotStore/verify()``, naming what is damaged.
public struct VerificationProblem: Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var blobHash: ContentHash?
    /// Snapshots and paths that hold the damaged content.
    public var affectedFiles: [AffectedFile]

    public struct AffectedFile: Hashable, Sendable {
        public var snapshot: SnapshotID
        public var path: String
    }

    public var description: String {
        guard !affectedFiles.isEmpty else { return message }
        let places = affectedFiles.map { "\($0.snapshot) \($0.path)" }.joined(separator: ", ")
        return "\(message) (held by \(places))"
    }
}
