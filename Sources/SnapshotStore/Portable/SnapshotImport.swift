import Crypto
import SigningKeys

/// One recorded path of a snapshot brought in from an export.
package struct ImportedEntry: Sendable {
    /// What kind of path it is: the kinds of ``FileKind``, and directories, which a snapshot
    /// records with their mode and owner (listed by ``SnapshotStore/directories(in:)``).
    package enum Kind: Sendable, Equatable {
        case regular
        /// The target is a `PathName` key, like the path.
        case symlink(target: String)
        case unreadable(reason: String)
        case vanished(reason: String)
        case directory
    }

    /// Relative to the snapshot's root, a `PathName` key (stored as its exact bytes).
    package var path: String
    package var kind: Kind
    package var mode: UInt32
    package var owner: UInt32?
    package var group: UInt32?
    package var size: Int64
    package var modificationTimeNanoseconds: Int64
    /// The content's SHA-256 (regular files that could be read).
    package var contentHash: ContentHash?
    /// Whether the content itself came with the export (not above the size limit).
    package var isContentStored: Bool

    package init(
        path: String, kind: Kind, mode: UInt32, owner: UInt32?, group: UInt32?, size: Int64,
        modificationTimeNanoseconds: Int64, contentHash: ContentHash?, isContentStored: Bool
    ) {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.owner = owner
        self.group = group
        self.size = size
        self.modificationTimeNanoseconds = modificationTimeNanoseconds
        self.contentHash = contentHash
        self.isContentStored = isContentStored
    }
}

/// Adds one snapshot from outside the watched directory (an export), inside the write
/// transaction of ``SnapshotStore/importSnapshot(rootPath:takenAtNanoseconds:metadata:signingKey:_:)``:
/// if anything throws, nothing of it is kept.
package final class SnapshotImportSession {
    let database: Database
    let snapshotID: Int64
    private var fileCount = 0
    private var totalSize: Int64 = 0
    private var buffer = [UInt8](repeating: 0, count: BlobStore.chunkSize)

    init(database: Database, snapshotID: Int64) {
        self.database = database
        self.snapshotID = snapshotID
    }

    /// Stores content read from `read` (0 at its end) under the SHA-256 it really has, which is
    /// returned with its size for the caller to compare with what the export claims.
    package func storeContent(_ read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> (
        hash: ContentHash, size: Int64
    ) {
        let blobs = BlobStore(database: database)
        let provisional = try blobs.insertBlob(hash: [], size: 0, stored: true)
        var hasher = SHA256()
        var size: Int64 = 0
        var seq: Int64 = 0
        while true {
            var filled = 0
            while filled < buffer.count {
                let got = try buffer.withUnsafeMutableBytes {
                    try read(UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
                }
                if got == 0 { break }
                filled += got
            }
            if filled == 0 { break }
            try buffer.withUnsafeBytes { bytes in
                let chunk = bytes[..<filled]
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: chunk))
                try blobs.insertChunk(blobID: provisional, seq: seq, chunk)
            }
            seq += 1
            size += Int64(filled)
            if filled < buffer.count { break }
        }
        let hash = ContentHash(bytes: Array(hasher.finalize()))
        if let existing = try blobs.existingBlob(hash) {
            if existing.stored {
                try database.cached("DELETE FROM blobs WHERE id = ?").run([.integer(provisional)])
            } else {
                try database.cached("UPDATE blob_chunks SET blob_id = ? WHERE blob_id = ?")
                    .run([.integer(existing.id), .integer(provisional)])
                try database.cached("UPDATE blobs SET stored = 1 WHERE id = ?").run([.integer(existing.id)])
                try database.cached("DELETE FROM blobs WHERE id = ?").run([.integer(provisional)])
            }
        } else {
            try database.cached("UPDATE blobs SET sha256 = ?, size = ? WHERE id = ?")
                .run([.blob(hash.bytes), .integer(size), .integer(provisional)])
        }
        return (hash, size)
    }

    /// Records one path of the snapshot. A stored file's content must have been stored first.
    package func record(_ entry: ImportedEntry) throws {
        let kind: Int64
        var detail: SQLValue = .null
        switch entry.kind {
        case .regular: kind = 0
        case .symlink(let target):
            kind = 1
            // Stored as the snapshot writer stores it: the target's exact bytes.
            detail = .path(target)
        case .unreadable(let reason):
            kind = 2
            detail = .text(reason)
        case .vanished(let reason):
            kind = 3
            detail = .text(reason)
        case .directory:
            kind = 4
        }
        var blobID: Int64? = nil
        if let hash = entry.contentHash {
            let blobs = BlobStore(database: database)
            if let existing = try blobs.existingBlob(hash) {
                guard existing.stored || !entry.isContentStored else {
                    throw SnapshotStoreError.contentNotStored(
                        path: entry.path, reason: "the export did not carry it")
                }
                blobID = existing.id
            } else {
                guard !entry.isContentStored else {
                    throw SnapshotStoreError.contentNotStored(
                        path: entry.path, reason: "the export did not carry it")
                }
                blobID = try blobs.insertBlob(hash: hash.bytes, size: entry.size, stored: false)
            }
        }
        let pathID: Int64
        // Bound as the snapshot writer binds it (text when UTF-8, else the bytes), so a later
        // snapshot of the same name finds the same row.
        if let id = try database.cached("SELECT id FROM paths WHERE path = ?").firstRow(
            [.path(entry.path)], { $0.int64(0) })
        {
            pathID = id
        } else {
            try database.cached("INSERT INTO paths (path) VALUES (?)").run([.path(entry.path)])
            pathID = database.lastInsertedRowID
        }
        try database.cached(
            """
            INSERT INTO file_states (path_id, mtime_ns, kind, mode, size, ctime_ns, inode, blob_id, detail,
                uid, gid)
            VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?)
            """
        ).run([
            .integer(pathID), .integer(entry.modificationTimeNanoseconds), .integer(kind),
            .integer(Int64(entry.mode & 0o7777)), .integer(entry.size), blobID.map { .integer($0) } ?? .null,
            detail, entry.owner.map { .integer(Int64($0)) } ?? .null,
            entry.group.map { .integer(Int64($0)) } ?? .null,
        ])
        try database.cached("INSERT INTO entries (snapshot_id, state_id) VALUES (?, ?)")
            .run([.integer(snapshotID), .integer(database.lastInsertedRowID)])
        // Directories are not files: counted as the snapshot writer counts (`checkManifest` relies on it).
        if entry.kind == .directory { return }
        fileCount += 1
        if case .regular = entry.kind { totalSize += entry.size }
    }

    /// Writes the snapshot's counts and its manifest digest (see `ManifestDigest`), computed
    /// from the records as stored, so restore and `show` check an imported snapshot like any other.
    func finish() throws -> (fileCount: Int, totalSize: Int64) {
        let digest = try ManifestDigest.of(snapshot: snapshotID, in: database)
        try database.cached(
            "UPDATE snapshots SET file_count = ?, total_size = ?, manifest_digest = ? WHERE id = ?"
        ).run([.integer(Int64(fileCount)), .integer(totalSize), .blob(digest.bytes), .integer(snapshotID)])
        return (fileCount, totalSize)
    }
}

extension SnapshotStore {
    /// Adds a snapshot that `body` fills from an export, chained after the current head with
    /// `metadata` (origin `import`), in one transaction: when `body` throws, nothing is kept.
    /// With `expectedManifestHash`, the snapshot's manifest as recorded must hash to it (what the
    /// export's chain link says), or nothing is kept: the import lost or changed nothing.
    package func importSnapshot(
        rootPath: String, takenAtNanoseconds: Int64, metadata: SnapshotMetadata, signingKey: ChainSigningKey?,
        expectedManifestHash: ContentHash? = nil, _ body: (SnapshotImportSession) throws -> Void
    ) throws -> SnapshotResult {
        try database.writeTransaction {
            try database.cached("INSERT INTO snapshots (taken_at_ns, root) VALUES (?, ?)")
                .run([.integer(takenAtNanoseconds), .text(rootPath)])
            let session = SnapshotImportSession(database: database, snapshotID: database.lastInsertedRowID)
            try body(session)
            let (fileCount, totalSize) = try session.finish()
            let id = SnapshotID(session.snapshotID)
            var result = SnapshotResult(
                id: id, fileCount: fileCount, totalSize: totalSize, filesRead: fileCount, filesReused: 0,
                skipped: [], oversizedFiles: [], problems: [], rotation: nil)
            let link = try ChainWriter(database: database).append(
                id, metadata: metadata, signingKey: signingKey)
            if let expectedManifestHash, link.manifestHash != expectedManifestHash {
                throw SnapshotStoreError.invalidArgument(
                    "the imported snapshot's manifest hashes to \(link.manifestHash), not to the \(expectedManifestHash) "
                        + "its export was chained with; nothing was imported")
            }
            result.chain = link
            return result
        }
    }
}
