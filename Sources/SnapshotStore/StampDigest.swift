import Crypto

/// One SHA-256 over what a walk of a source saw: every entry's path, kind, mode, owner, group and
/// change stamp, a symlink's target, and a computed file's content hash, in the walk's order. Kept
/// with the latest snapshot once a cycle has found that snapshot's content at those stamps (see
/// ``StampDigestCheck``): the next cycle compares one digest instead of loading ten thousand
/// recorded states, as git compares its index.
///
/// It vouches only for what metadata alone can vouch for, as ``UnchangedCheck`` does: an entry
/// that could not be examined, a file on disk without change stamp, or an entry without owner
/// makes the walk unvouchable, and such a cycle is left to the full comparison.
struct StampDigest {
    private var hasher = SHA256()
    private var record: [UInt8] = []
    /// False once an entry was seen that metadata alone cannot vouch for.
    private(set) var isVouchable = true
    /// Regular files, computed files and symlinks, as ``SnapshotResult/fileCount`` counts them.
    private(set) var fileCount = 0
    /// Regular and computed files (``SnapshotResult/filesReused`` when nothing changed).
    private(set) var regularFileCount = 0
    private(set) var totalSize: Int64 = 0
    /// Sockets, FIFOs and devices: reported by every cycle, recorded by none, not in the digest.
    private(set) var skipped: [SkippedEntry] = []

    private enum Kind: UInt8 {
        case regular = 0, symlink = 1, directory = 4
    }

    /// Adds one entry; returns false (and stays unvouchable) for one it cannot vouch for.
    @discardableResult
    mutating func add(_ entry: SnapshotEntry) -> Bool {
        guard isVouchable else { return false }
        let attributes = entry.attributes
        switch entry.kind {
        case .directory:
            // A directory's size follows its entries, which are compared themselves.
            begin(entry.path, .directory, attributes, size: 0)
        case .file(.onDisk):
            guard let stamp = attributes.stamp else { return refuse() }
            begin(entry.path, .regular, attributes, size: stamp.size)
            fileCount += 1
            regularFileCount += 1
            totalSize += stamp.size
        case .file(.inMemory(let bytes)):
            begin(entry.path, .regular, attributes, size: Int64(bytes.count))
            SHA256.hash(data: bytes).withUnsafeBytes { record.append(contentsOf: $0) }
            fileCount += 1
            regularFileCount += 1
            totalSize += Int64(bytes.count)
        case .symlink(let target):
            begin(entry.path, .symlink, attributes, size: attributes.stamp?.size ?? 0)
            appendLength(target.count)
            record.append(contentsOf: target)
            fileCount += 1
        case .skipped(let type):
            skipped.append(SkippedEntry(path: entry.path, type: type))
            return true
        case .problem:
            return refuse()
        }
        guard attributes.owner != nil, attributes.group != nil else { return refuse() }
        hasher.update(data: record)
        return true
    }

    /// The digest of every entry added, or `nil` when one could not be vouched for.
    func finalized() -> [UInt8]? {
        isVouchable ? Array(hasher.finalize()) : nil
    }

    private mutating func refuse() -> Bool {
        isVouchable = false
        return false
    }

    /// Starts `record` with the fields every kind has: length-prefixed path, kind, mode, owner,
    /// group, size and the change stamp's times and inode (zero when there is none).
    private mutating func begin(_ path: String, _ kind: Kind, _ attributes: EntryAttributes, size: Int64) {
        record.removeAll(keepingCapacity: true)
        let stamp = attributes.stamp
        appendLength(path.utf8.count)
        record.append(contentsOf: path.utf8)
        record.append(kind.rawValue)
        for value in [
            Int64(attributes.mode), Int64(attributes.owner ?? 0), Int64(attributes.group ?? 0), size,
            stamp?.modificationTimeNanoseconds ?? 0, stamp?.changeTimeNanoseconds ?? 0,
            Int64(bitPattern: stamp?.inode ?? 0),
        ] {
            withUnsafeBytes(of: value.littleEndian) { record.append(contentsOf: $0) }
        }
    }

    private mutating func appendLength(_ count: Int) {
        withUnsafeBytes(of: UInt64(count).littleEndian) { record.append(contentsOf: $0) }
    }
}

/// A source whose entries are added to a ``StampDigest`` as they pass to whoever walks it: the
/// unchanged check or the writer computes the digest the next cycle will compare, in the same walk.
/// Entries replayed from the stamp-digest check come with the digest that check computed.
final class StampRecordingSource: SnapshotSource {
    let base: any SnapshotSource
    private(set) var digest = StampDigest()
    /// Whether `digest` is already that of `base`'s entries (a replay), so a walk need not add them.
    private let isDigestKnown: Bool

    init(_ base: any SnapshotSource) {
        self.base = base
        isDigestKnown = false
    }

    init(replaying walked: ReplayedSource) {
        base = walked
        digest = walked.digest
        isDigestKnown = true
    }

    var root: String { base.root }

    func checkUsable(storeFiles: [(what: String, path: String)]) throws {
        try base.checkUsable(storeFiles: storeFiles)
    }

    func forEachEntry(_ visit: (SnapshotEntry) throws -> Void) throws {
        guard !isDigestKnown else { return try base.forEachEntry(visit) }
        digest = StampDigest()
        try base.forEachEntry { entry in
            digest.add(entry)
            try visit(entry)
        }
    }
}

/// The entries a walk already yielded, yielded again in the same order, with their digest: the
/// writer records what the stamp-digest check walked instead of walking the tree a second time.
/// A file's content is still opened when the writer asks for it, and recorded as what was opened.
struct ReplayedSource: SnapshotSource {
    let root: String
    let entries: [SnapshotEntry]
    let digest: StampDigest

    func forEachEntry(_ visit: (SnapshotEntry) throws -> Void) throws {
        for entry in entries { try visit(entry) }
    }
}
