import FoundationEssentials
import FileSystem
import Glibc

/// The rotating, content-addressed history of a directory, in one SQLite database.
///
/// One `SnapshotStore` owns one SQLite connection. It is not thread-safe and deliberately not `Sendable`:
/// use it from one thread or serial queue at a time (the daemon's queue). Several *processes* may open
/// the same database: SQLite's locks serialise writers, and a writer that cannot get the lock within
/// the busy timeout gets ``SnapshotStoreError/databaseBusy(path:waitedMilliseconds:)``.
public final class SnapshotStore {
    /// The schema version this build reads and writes.
    public static let schemaVersion = Migrations.latestVersion
    /// How many snapshots rotation keeps when not told otherwise.
    public static let defaultKeepNewest = 10
    /// Above this size the WAL is checkpointed and truncated right after a snapshot.
    static let walTruncateThreshold: Int = 8 << 20

    let database: Database
    /// Test seam: how files are opened for reading during a snapshot.
    var fileOpener: FileOpener = openForSnapshot

    /// The database file.
    public var path: String { database.path }

    /// Opens the database at `path`, creating it (mode 0600) and migrating its schema when needed.
    ///
    /// The directory holding `path` must exist: it is never created implicitly, so that a typo in a
    /// path is an error rather than a new empty history.
    /// - Parameter busyTimeout: how long a write waits for another process's lock before failing.
    public init(path: String, busyTimeout: Duration = .seconds(5)) throws {
        let milliseconds =
            busyTimeout.components.seconds * 1000
            + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        database = try Database(path: path, busyTimeoutMilliseconds: Int(milliseconds))
        try Migrations.migrate(database)
    }

    /// Records the current state of `directory` as a new snapshot, in one transaction: all of it or nothing.
    ///
    /// Files unchanged since a held snapshot (same size, mtime, ctime and inode) are not read again.
    /// With ``SnapshotOptions/keepNewest`` set, rotation runs in the same transaction.
    @discardableResult
    public func takeSnapshot(of directory: String, options: SnapshotOptions = SnapshotOptions()) throws
        -> SnapshotResult
    {
        let root = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var statusOfRoot = stat()
        if stat(root, &statusOfRoot) != 0 {
            throw SnapshotStoreError.watchedDirectoryUnavailable(path: root, reason: POSIX.errorText(errno))
        }
        do {
            let result = try database.writeTransaction {
                var result = try SnapshotWriter(database: database, options: options, opener: fileOpener)
                    .write(root: root)
                result.chain = try chainSnapshot(result.id, options: options)
                if let keep = options.keepNewest {
                    result.rotation = try Rotation(database: database).rotate(keepNewest: keep)
                }
                return result
            }
            // A first snapshot can put ~the whole tree in the WAL; move it into the database file and
            // truncate the WAL now rather than leave it on disk. Best effort: a busy reader only delays it.
            // A small WAL (an unchanged tree writes ~100 KB of manifest) is left to SQLite's automatic
            // checkpoint: truncating costs fsyncs, which were most of an unchanged cycle's wall time.
            var walStatus = stat()
            if stat(path + "-wal", &walStatus) == 0, walStatus.st_size > Self.walTruncateThreshold {
                _ = try? database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            }
            return result
        } catch SnapshotStoreError.diskFull(let path, _) {
            throw SnapshotStoreError.diskFull(path: path, operation: "writing snapshot")
        } catch let unavailable as DirectoryWalker.RootUnavailable {
            throw SnapshotStoreError.watchedDirectoryUnavailable(path: unavailable.path, reason: unavailable.reason)
        }
    }

    /// Deletes snapshots beyond the newest `keepNewest`, never the baseline or a pinned one, and the
    /// contents no remaining snapshot holds, in one transaction.
    @discardableResult
    public func rotate(keepNewest: Int = SnapshotStore.defaultKeepNewest) throws -> RotationResult {
        try database.writeTransaction { try Rotation(database: database).rotate(keepNewest: keepNewest) }
    }

    /// The id a reference names. Throws ``SnapshotStoreError/snapshotNotFound(reference:)``.
    public func resolve(_ reference: SnapshotReference) throws -> SnapshotID {
        let found: Int64?
        switch reference {
        case .id(let id):
            found = try database.scalarInt64("SELECT id FROM snapshots WHERE id = ?", [.integer(id.rawValue)])
        case .latest:
            found = try database.scalarInt64("SELECT max(id) FROM snapshots")
        case .baseline:
            found = try database.scalarInt64("SELECT snapshot_id FROM baseline")
        }
        guard let found else { throw SnapshotStoreError.snapshotNotFound(reference: reference.description) }
        return SnapshotID(found)
    }

    /// Makes `reference` the baseline that drift is measured against, remembering why and when.
    public func setBaseline(_ reference: SnapshotReference, reason: String) throws {
        try database.writeTransaction {
            let id = try resolve(reference)
            try database.cached(
                """
                INSERT INTO baseline (singleton, snapshot_id, reason, set_at_ns) VALUES (1, ?, ?, ?)
                ON CONFLICT (singleton) DO UPDATE SET snapshot_id = excluded.snapshot_id,
                    reason = excluded.reason, set_at_ns = excluded.set_at_ns
                """
            ).run([.integer(id.rawValue), .text(reason), .integer(currentTimeNanoseconds())])
        }
    }

    /// Protects a snapshot from rotation.
    public func pin(_ reference: SnapshotReference) throws { try setPinned(reference, true) }

    /// Lets rotation delete a snapshot again (unless it is the baseline).
    public func unpin(_ reference: SnapshotReference) throws { try setPinned(reference, false) }

    private func setPinned(_ reference: SnapshotReference, _ pinned: Bool) throws {
        try database.writeTransaction {
            let id = try resolve(reference)
            try database.cached("UPDATE snapshots SET pinned = ? WHERE id = ?")
                .run([.integer(pinned ? 1 : 0), .integer(id.rawValue)])
        }
    }

    /// All snapshots, oldest first, with baseline and pin marks.
    public func listSnapshots() throws -> [SnapshotSummary] {
        var summaries: [SnapshotSummary] = []
        try database.readTransaction {
            try database.cached(
                """
                SELECT s.id, s.taken_at_ns, s.root, s.file_count, s.total_size, s.pinned, b.reason, b.set_at_ns
                FROM snapshots s LEFT JOIN baseline b ON b.snapshot_id = s.id ORDER BY s.id
                """
            ).forEachRow { row in
                let isBaseline = !row.isNull(6)
                summaries.append(
                    SnapshotSummary(
                        id: SnapshotID(row.int64(0)), takenAt: date(nanoseconds: row.int64(1)),
                        rootPath: row.text(2),
                        fileCount: Int(row.int64(3)), totalSize: row.int64(4), isBaseline: isBaseline,
                        isPinned: row.int64(5) != 0, baselineReason: row.optionalText(6),
                        baselineSetAt: row.optionalInt64(7).map(date(nanoseconds:))))
            }
        }
        return summaries
    }

    /// The files recorded in a snapshot, sorted by path.
    public func files(in reference: SnapshotReference) throws -> [FileRecord] {
        try database.readTransaction {
            let id = try resolve(reference)
            var records: [FileRecord] = []
            try database.cached(ManifestQuery.sql + " ORDER BY p.path").forEachRow([.integer(id.rawValue)]) {
                records.append(ManifestQuery.record($0))
            }
            return records
        }
    }

    /// One file's record in a snapshot.
    public func file(_ path: String, in reference: SnapshotReference) throws -> FileRecord {
        try database.readTransaction {
            let id = try resolve(reference)
            guard
                let record = try database.cached(ManifestQuery.oneFileSQL)
                    .firstRow([.integer(id.rawValue), .text(path)], ManifestQuery.record)
            else { throw SnapshotStoreError.fileNotInSnapshot(snapshot: id.rawValue, path: path) }
            return record
        }
    }

    /// The bytes of one file as recorded in a snapshot.
    public func contents(of path: String, in reference: SnapshotReference) throws -> [UInt8] {
        let record = try file(path, in: reference)
        guard let hash = record.contentHash else {
            throw SnapshotStoreError.contentNotStored(path: path, reason: "it is not a readable regular file")
        }
        guard record.isContentStored else {
            throw SnapshotStoreError.contentNotStored(path: path, reason: "it was above the size limit")
        }
        return try contents(hash: hash)
    }

    /// Stored content by its SHA-256, checked against it.
    public func contents(hash: ContentHash) throws -> [UInt8] {
        try database.readTransaction {
            guard
                let (blobID, stored) = try database.cached("SELECT id, stored FROM blobs WHERE sha256 = ?")
                    .firstRow([.blob(hash.bytes)], { ($0.int64(0), $0.int64(1) != 0) })
            else { throw SnapshotStoreError.blobNotFound(hash: hash.hex) }
            guard stored else {
                throw SnapshotStoreError.contentNotStored(
                    path: hash.description, reason: "it was above the size limit")
            }
            return try BlobStore(database: database).contents(blobID: blobID, hash: hash)
        }
    }

    /// Streams stored content chunk by chunk (for restoring big files in bounded memory).
    func forEachChunk(of hash: ContentHash, _ body: ([UInt8]) throws -> Void) throws {
        guard
            let blobID = try database.cached("SELECT id FROM blobs WHERE sha256 = ? AND stored = 1")
                .firstRow([.blob(hash.bytes)], { $0.int64(0) })
        else { throw SnapshotStoreError.blobNotFound(hash: hash.hex) }
        try BlobStore(database: database).forEachChunk(blobID: blobID, hashForErrors: hash, body)
    }

    /// Checks the database structure and re-hashes every stored content; an empty list means all is well.
    public func verify() throws -> [VerificationProblem] {
        try database.readTransaction { try Verifier(database: database).verify() }
    }
}

@available(
    *, unavailable, message: "a SnapshotStore owns one SQLite connection; use it from one thread or queue"
)
extension SnapshotStore: Sendable {}

private func date(nanoseconds: Int64) -> Date {
    Date(timeIntervalSince1970: Double(nanoseconds) / 1_000_000_000)
}

/// The query behind ``SnapshotStore/files(in:)``: one row per file of a snapshot.
enum ManifestQuery {
    static let columns = """
        SELECT p.path, s.kind, s.mode, s.size, s.mtime_ns, s.ctime_ns, s.inode, s.detail, b.sha256, b.stored
        """
    /// Every file of a snapshot (parameter: the snapshot id).
    static let sql =
        columns + "\n" + """
            FROM entries e
            JOIN file_states s ON s.id = e.state_id
            JOIN paths p ON p.id = s.path_id
            LEFT JOIN blobs b ON b.id = s.blob_id
            WHERE e.snapshot_id = ?
            """
    /// One file of a snapshot (parameters: the snapshot id, the path), driven from the path:
    /// path index → the path's few states → the manifest's primary key. The join order is
    /// forced (CROSS JOIN) because SQLite otherwise scans the whole manifest for each file,
    /// which made comparing N changed files cost N².
    static let oneFileSQL =
        columns + "\n" + """
            FROM paths p
            CROSS JOIN file_states s ON s.path_id = p.id
            CROSS JOIN entries e ON e.snapshot_id = ? AND e.state_id = s.id
            LEFT JOIN blobs b ON b.id = s.blob_id
            WHERE p.path = ?
            """
    /// One file state by its id (parameter: the state id), through primary keys only.
    static let oneStateSQL =
        columns + "\n" + """
            FROM file_states s
            JOIN paths p ON p.id = s.path_id
            LEFT JOIN blobs b ON b.id = s.blob_id
            WHERE s.id = ?
            """

    static func record(_ row: Statement) -> FileRecord {
        let detail = row.optionalText(7) ?? ""
        let kind: FileKind
        switch row.int64(1) {
        case 0: kind = .regular
        case 1: kind = .symlink(target: detail)
        case 3: kind = .vanished(reason: detail)
        default: kind = .unreadable(reason: detail)
        }
        return FileRecord(
            path: row.text(0), kind: kind, mode: UInt32(row.int64(2)), size: row.int64(3),
            modificationTimeNanoseconds: row.int64(4), changeTimeNanoseconds: row.int64(5),
            inode: UInt64(bitPattern: row.int64(6)),
            contentHash: row.isNull(8) ? nil : ContentHash(bytes: row.blob(8)),
            isContentStored: !row.isNull(9) && row.int64(9) != 0)
    }
}
