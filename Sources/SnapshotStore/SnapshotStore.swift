import FileSystem
import FoundationEssentials

/// The rotating, content-addressed history of a directory, in one SQLite database.
///
/// One `SnapshotStore` owns one SQLite connection. It is not thread-safe and deliberately not `Sendable`:
/// use it from one thread or serial queue at a time (the daemon's queue). Several *processes* may open
/// the same database: SQLite's locks serialise writers, and a writer that cannot get the lock within
/// the busy timeout gets ``SnapshotStoreError/databaseBusy(path:waitedMilliseconds:)``.
package final class SnapshotStore {
    /// The schema version this build reads and writes.
    package static let schemaVersion = Migrations.latestVersion
    /// How many snapshots rotation keeps when not told otherwise.
    package static let defaultKeepNewest = 10
    /// Above this size the WAL is checkpointed and truncated right after a snapshot.
    static let walTruncateThreshold: Int = 8 << 20

    let database: Database

    /// The database file.
    package var path: String { database.path }

    /// Files of the store that were readable by group or others when it was opened and were made
    /// owner-only: one message each, for the caller to show (never silently).
    package var permissionNotices: [String] { database.permissionNotices }

    /// Opens the database at `path`, creating it (mode 0600) and migrating its schema when needed.
    ///
    /// The directory holding `path` must exist: it is never created implicitly, so that a typo in a
    /// path is an error rather than a new empty history.
    /// - Parameter busyTimeout: how long a write waits for another process's lock before failing.
    package init(path: String, busyTimeout: Duration = .seconds(5)) throws {
        let milliseconds =
            busyTimeout.components.seconds * 1000
            + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        database = try Database(path: path, busyTimeoutMilliseconds: Int(milliseconds))
        try Migrations.migrate(database)
    }

    /// Records the current state of `directory` (every entry; see ``DirectorySource``) as a new snapshot.
    @discardableResult
    package func takeSnapshot(of directory: String, options: SnapshotOptions = SnapshotOptions()) throws
        -> SnapshotResult
    { try takeSnapshot(from: DirectorySource(root: directory), options: options) }

    /// Records what `source` yields as a new snapshot, in one transaction: all of it or nothing.
    ///
    /// Files unchanged since a held snapshot (same change stamp: size, mtime, ctime and inode) are
    /// not read again. With ``SnapshotOptions/keepNewest`` set, rotation runs in the same transaction.
    @discardableResult
    package func takeSnapshot(from source: some SnapshotSource, options: SnapshotOptions = SnapshotOptions())
        throws -> SnapshotResult
    {
        try source.checkUsable(storeFiles: [("database", path)])
        do {
            let result = try database.writeTransaction {
                // Written first, then dropped when it records what the latest snapshot records: a
                // snapshot is a distinct state, and an unchanged cycle only marks the latest checked.
                let checkedAt = options.takenAtNanoseconds ?? currentTimeNanoseconds()
                // Most cycles find nothing changed: told from one digest of the walk's metadata
                // against the one kept with the latest snapshot, nothing else read or written.
                let stamps = StampDigestCheck(database: database)
                let kept = options.onlyWhenChanged ? try stamps.kept(forRoot: source.root) : nil
                var walked: ReplayedSource? = nil
                if let kept {
                    switch try stamps.check(source, against: kept) {
                    case .unchanged(var unchanged): return try confirmUnchanged(&unchanged, at: checkedAt)
                    case .changed(let entries): walked = entries
                    }
                }
                // Loaded once, for the unchanged check and the writer.
                let latest = try LatestStates.load(from: database)
                // Without a kept digest (an older store, an import), the walk against every recorded
                // state; with one, a walk that differs from it differs from those states too.
                if options.onlyWhenChanged, kept == nil {
                    let checked = StampRecordingSource(source)
                    if var unchanged = try UnchangedCheck(database: database, latest: latest).check(checked) {
                        try stamps.keep(checked.digest, for: unchanged)
                        return try confirmUnchanged(&unchanged, at: checkedAt)
                    }
                }
                try database.execute("SAVEPOINT candidate")
                // What the digest check walked, when it could hold it: the tree is walked once.
                let recorded =
                    walked.map(StampRecordingSource.init(replaying:)) ?? StampRecordingSource(source)
                var result = try SnapshotWriter(database: database, options: options, latest: latest)
                    .write(recorded)
                if options.onlyWhenChanged,
                    let confirmed = try HistoryChecks(database: database).sameAsPrevious(result.id)
                {
                    // The same content at new stamps (a file touched, rewritten as it was): the
                    // kept digest is now this walk's, so the next cycle finds it unchanged cheaply.
                    try database.execute("ROLLBACK TO candidate")
                    try database.execute("RELEASE candidate")
                    result.id = confirmed
                    try stamps.keep(recorded.digest, for: result)
                    return try confirmUnchanged(&result, at: checkedAt)
                }
                try stamps.keep(recorded.digest, for: result)
                try database.execute("RELEASE candidate")
                result.chain = try chainSnapshot(result.id, options: options)
                if let retention = options.retention {
                    result.rotation = try Rotation(database: database).rotate(policy: retention)
                }
                return result
            }
            // A first snapshot can put ~the whole tree in the WAL; move it into the database file and
            // truncate the WAL now rather than leave it on disk. Best effort: a busy reader only delays it.
            // A small WAL (an unchanged tree writes ~100 KB of manifest) is left to SQLite's automatic
            // checkpoint: truncating costs fsyncs, which were most of an unchanged cycle's wall time.
            if let wal = try? FileStatus.of(path + "-wal"), wal.size > Self.walTruncateThreshold {
                _ = try? database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            }
            return result
        } catch SnapshotStoreError.diskFull(let path, _) {
            throw SnapshotStoreError.diskFull(path: path, operation: "writing snapshot")
        }
    }

    /// Marks `result`'s snapshot checked at `nanoseconds`: what an unchanged cycle records instead
    /// of a snapshot.
    private func confirmUnchanged(_ result: inout SnapshotResult, at nanoseconds: Int64) throws
        -> SnapshotResult
    {
        try HistoryChecks(database: database).confirm(result.id, at: nanoseconds)
        result.isUnchanged = true
        result.chain = try ChainWriter(database: database).link(of: result.id)
        return result
    }

    /// Deletes snapshots beyond the newest `keepNewest`, never the baseline or a pinned one, and the
    /// contents no remaining snapshot holds, in one transaction.
    @discardableResult
    package func rotate(keepNewest: Int = SnapshotStore.defaultKeepNewest) throws -> RotationResult {
        try rotate(policy: RetentionPolicy(keep: keepNewest))
    }

    /// Deletes the snapshots `policy` does not keep (never the baseline, the previous baseline or a
    /// pinned one), and the contents no remaining snapshot holds, in one transaction.
    @discardableResult
    package func rotate(policy: RetentionPolicy) throws -> RotationResult {
        try database.writeTransaction { try Rotation(database: database).rotate(policy: policy) }
    }

    /// The id a reference names. Throws ``SnapshotStoreError/snapshotNotFound(reference:)``.
    package func resolve(_ reference: SnapshotReference) throws -> SnapshotID {
        let found: Int64?
        switch reference {
        case .id(let id):
            found = try database.scalarInt64("SELECT id FROM snapshots WHERE id = ?", [.integer(id.rawValue)])
        case .latest:
            found = try database.scalarInt64("SELECT max(id) FROM snapshots")
        case .baseline:
            found = try database.scalarInt64("SELECT snapshot_id FROM baseline")
        case .previousBaseline:
            found = try database.scalarInt64("SELECT previous_snapshot_id FROM baseline")
        }
        guard let found else {
            if reference == .baseline {
                let count = try database.scalarInt64("SELECT count(*) FROM snapshots") ?? 0
                throw SnapshotStoreError.baselineMissing(path: path, snapshotCount: Int(count))
            }
            if reference == .previousBaseline {
                throw SnapshotStoreError.invalidArgument(
                    "there is no previous baseline: it is kept from the first `baseline set` after the "
                        + "first baseline until the next one (kms-drift list marks it)")
            }
            throw SnapshotStoreError.snapshotNotFound(reference: reference.description)
        }
        return SnapshotID(found)
    }

    /// True when the store holds no snapshot at all: only then may a snapshot become the baseline
    /// by itself.
    package func isEmpty() throws -> Bool {
        try database.scalarInt64("SELECT count(*) FROM snapshots") == 0
    }

    /// Makes `reference` the baseline that drift is measured against, remembering why and when.
    package func setBaseline(_ reference: SnapshotReference, reason: String) throws {
        try database.writeTransaction {
            let id = try resolve(reference)
            // The baseline it replaces stays, marked, until the next accept: `restore previous-baseline`.
            try database.cached(
                """
                INSERT INTO baseline (singleton, snapshot_id, reason, set_at_ns) VALUES (1, ?, ?, ?)
                ON CONFLICT (singleton) DO UPDATE SET
                    previous_snapshot_id = CASE WHEN baseline.snapshot_id = excluded.snapshot_id
                        THEN baseline.previous_snapshot_id ELSE baseline.snapshot_id END,
                    previous_reason = CASE WHEN baseline.snapshot_id = excluded.snapshot_id
                        THEN baseline.previous_reason ELSE baseline.reason END,
                    snapshot_id = excluded.snapshot_id,
                    reason = excluded.reason, set_at_ns = excluded.set_at_ns
                """
            ).run([.integer(id.rawValue), .text(reason), .integer(currentTimeNanoseconds())])
        }
    }

    /// Protects a snapshot from rotation.
    package func pin(_ reference: SnapshotReference) throws { try setPinned(reference, true) }

    /// Lets rotation delete a snapshot again (unless it is the baseline).
    package func unpin(_ reference: SnapshotReference) throws { try setPinned(reference, false) }

    private func setPinned(_ reference: SnapshotReference, _ pinned: Bool) throws {
        try database.writeTransaction {
            let id = try resolve(reference)
            try database.cached("UPDATE snapshots SET pinned = ? WHERE id = ?")
                .run([.integer(pinned ? 1 : 0), .integer(id.rawValue)])
        }
    }

    /// All snapshots, oldest first, with baseline and pin marks.
    package func listSnapshots() throws -> [SnapshotSummary] {
        var summaries: [SnapshotSummary] = []
        try database.readTransaction {
            try database.cached(
                """
                SELECT s.id, s.taken_at_ns, s.root, s.file_count, s.total_size, s.pinned, b.reason, b.set_at_ns,
                    s.checked_at_ns, s.unchanged_checks, p.singleton
                FROM snapshots s LEFT JOIN baseline b ON b.snapshot_id = s.id
                LEFT JOIN baseline p ON p.previous_snapshot_id = s.id ORDER BY s.id
                """
            ).forEachRow { row in
                let isBaseline = !row.isNull(6)
                var summary = SnapshotSummary(
                    id: SnapshotID(row.int64(0)), takenAt: date(nanoseconds: row.int64(1)),
                    rootPath: row.text(2),
                    fileCount: Int(row.int64(3)), totalSize: row.int64(4), isBaseline: isBaseline,
                    isPinned: row.int64(5) != 0, baselineReason: row.optionalText(6),
                    baselineSetAt: row.optionalInt64(7).map(date(nanoseconds:)))
                summary.checkedAt = row.optionalInt64(8).map(date(nanoseconds:))
                summary.unchangedChecks = Int(row.int64(9))
                summary.isPreviousBaseline = !row.isNull(10)
                summaries.append(summary)
            }
        }
        return summaries
    }

    /// The files recorded in a snapshot, sorted by path.
    package func files(in reference: SnapshotReference) throws -> [FileRecord] {
        try database.readTransaction {
            let id = try resolve(reference)
            var records: [FileRecord] = []
            try database.cached(ManifestQuery.sql + " ORDER BY p.path").forEachRow([.integer(id.rawValue)]) {
                records.append(ManifestQuery.record($0))
            }
            return records
        }
    }

    /// The directories recorded in a snapshot (below its root), sorted by path; empty for snapshots
    /// taken before kms-drift recorded directories.
    package func directories(in reference: SnapshotReference) throws -> [DirectoryRecord] {
        try database.readTransaction {
            let id = try resolve(reference)
            var records: [DirectoryRecord] = []
            try database.cached(
                """
                SELECT p.path, s.mode, s.uid, s.gid, s.size, s.mtime_ns FROM entries e
                JOIN file_states s ON s.id = e.state_id JOIN paths p ON p.id = s.path_id
                WHERE e.snapshot_id = ? AND s.kind = 4 ORDER BY p.path
                """
            ).forEachRow([.integer(id.rawValue)]) { row in
                records.append(
                    DirectoryRecord(
                        path: row.pathKey(0), mode: UInt32(truncatingIfNeeded: row.int64(1)),
                        owner: UInt32(truncatingIfNeeded: row.int64(2)),
                        group: UInt32(truncatingIfNeeded: row.int64(3)), size: row.int64(4),
                        modificationTimeNanoseconds: row.int64(5)))
            }
            return records
        }
    }

    /// One file's record in a snapshot.
    package func file(_ path: String, in reference: SnapshotReference) throws -> FileRecord {
        try database.readTransaction {
            let id = try resolve(reference)
            guard
                let record = try database.cached(ManifestQuery.oneFileSQL)
                    .firstRow([.integer(id.rawValue), .path(path)], ManifestQuery.record)
            else { throw SnapshotStoreError.fileNotInSnapshot(snapshot: id.rawValue, path: path) }
            return record
        }
    }

    /// The bytes of one file as recorded in a snapshot.
    package func contents(of path: String, in reference: SnapshotReference) throws -> [UInt8] {
        try database.readTransaction {
            let (hash, size) = try storedContent(of: path, in: reference)
            let blob = try storedBlob(hash)
            return try BlobStore(database: database).contents(blobID: blob.id, declaredSize: size, hash: hash)
        }
    }

    /// The hash and recorded size of a file whose content is stored; its size must be its content's.
    private func storedContent(of path: String, in reference: SnapshotReference) throws -> (
        ContentHash, Int64
    ) {
        let record = try file(path, in: reference)
        guard let hash = record.contentHash else {
            throw SnapshotStoreError.contentNotStored(path: path, reason: "it is not a readable regular file")
        }
        guard record.isContentStored else {
            throw SnapshotStoreError.contentNotStored(path: path, reason: "it was above the size limit")
        }
        let blob = try storedBlob(hash)
        guard blob.size == record.size else {
            throw SnapshotStoreError.blobDamaged(
                hash: hash.hex,
                reason: "it is recorded as \(blob.size) bytes but \(path) as \(record.size) bytes")
        }
        return (hash, record.size)
    }

    /// Streams one file's bytes as recorded, chunk by chunk in bounded memory, after checking all of
    /// them against the file's SHA-256 (for `show`, whatever size the database claims).
    package func forEachVerifiedChunk(
        of path: String, in reference: SnapshotReference, _ body: ([UInt8]) throws -> Void
    ) throws {
        try database.readTransaction {
            try checkManifest(of: reference)
            let (hash, _) = try storedContent(of: path, in: reference)
            try forEachVerifiedChunk(of: hash, body)
        }
    }

    /// Throws ``SnapshotStoreError/manifestDamaged(snapshot:reason:)`` when the snapshot's list of
    /// files is not what was recorded when it was taken (see ``ManifestDigest``); for snapshots taken
    /// before digests were kept, when the number of files differs.
    package func checkManifest(of reference: SnapshotReference) throws {
        try database.readTransaction {
            let id = try resolve(reference)
            guard
                let (digest, count) = try database.cached(
                    "SELECT manifest_digest, file_count FROM snapshots WHERE id = ?"
                ).firstRow([.integer(id.rawValue)], { ($0.rawBytes(0), $0.int64(1)) })
            else { throw SnapshotStoreError.snapshotNotFound(reference: reference.description) }
            if let digest {
                let now = try ManifestDigest.of(snapshot: id.rawValue, in: database)
                guard ManifestDigest(bytes: digest) == now else {
                    throw SnapshotStoreError.manifestDamaged(
                        snapshot: id.rawValue,
                        reason: "its recorded files no longer match the digest taken with it")
                }
                return
            }
            let listed =
                try database.scalarInt64(
                    """
                    SELECT count(*) FROM entries e JOIN file_states s ON s.id = e.state_id
                    JOIN paths p ON p.id = s.path_id WHERE e.snapshot_id = ? AND s.kind <> 4
                    """, [.integer(id.rawValue)]) ?? 0
            guard listed == count else {
                throw SnapshotStoreError.manifestDamaged(
                    snapshot: id.rawValue, reason: "it was taken with \(count) files but lists \(listed)")
            }
        }
    }

    /// Stored content by its SHA-256, checked against it.
    package func contents(hash: ContentHash) throws -> [UInt8] {
        try database.readTransaction {
            let blob = try storedBlob(hash)
            return try BlobStore(database: database).contents(
                blobID: blob.id, declaredSize: blob.size, hash: hash)
        }
    }

    /// Streams stored content chunk by chunk in bounded memory (for big files), after checking all of
    /// it against its SHA-256: `body` never sees a byte of damaged content.
    package func forEachVerifiedChunk(of hash: ContentHash, _ body: ([UInt8]) throws -> Void) throws {
        try database.readTransaction {
            let blob = try storedBlob(hash)
            let blobs = BlobStore(database: database)
            if let damage = try blobs.damage(blobID: blob.id, declaredSize: blob.size, hash: hash) {
                throw SnapshotStoreError.blobDamaged(hash: hash.hex, reason: damage)
            }
            try blobs.forEachChunk(blobID: blob.id, declaredSize: blob.size, hashForErrors: hash, body)
        }
    }

    /// Streams stored content chunk by chunk, unchecked: the caller hashes what it gets and must not
    /// use it before the hash matched (a restore hashes while writing a temporary file).
    package func forEachChunk(of hash: ContentHash, _ body: ([UInt8]) throws -> Void) throws {
        let blob = try storedBlob(hash)
        try BlobStore(database: database).forEachChunk(
            blobID: blob.id, declaredSize: blob.size, hashForErrors: hash, body)
    }

    /// What is wrong with stored content, or `nil` when it is intact (streamed, bounded memory).
    package func damage(of hash: ContentHash) throws -> String? {
        let blob: (id: Int64, size: Int64)
        do {
            blob = try storedBlob(hash)
        } catch SnapshotStoreError.blobNotFound {
            return "its content is missing from the database"
        } catch SnapshotStoreError.contentNotStored {
            return "its content was not stored"
        }
        return try BlobStore(database: database).damage(blobID: blob.id, declaredSize: blob.size, hash: hash)
    }

    /// The row of stored content, or why there is none.
    package func storedBlob(_ hash: ContentHash) throws -> (id: Int64, size: Int64) {
        guard
            let (blobID, size, stored) = try database.cached(
                "SELECT id, size, stored FROM blobs WHERE sha256 = ?"
            )
            .firstRow([.blob(hash.bytes)], { ($0.int64(0), $0.int64(1), $0.int64(2) != 0) })
        else { throw SnapshotStoreError.blobNotFound(hash: hash.hex) }
        guard stored else {
            throw SnapshotStoreError.contentNotStored(
                path: hash.description, reason: "it was above the size limit")
        }
        return (blobID, size)
    }

    /// Runs `body` in one read transaction: every read inside sees the same state of the store
    /// (a restore plans and streams a snapshot's contents in one).
    package func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try database.readTransaction(body)
    }

    /// Checks the database structure and re-hashes every stored content; an empty list means all is well.
    package func verify() throws -> [VerificationProblem] {
        try database.readTransaction { try Verifier(store: self).verify() }
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
    /// Directories (kind 4) are listed by ``SnapshotStore/directories(in:)`` instead.
    static let columns = """
        SELECT p.path, s.kind, s.mode, s.size, s.mtime_ns, s.ctime_ns, s.inode, s.detail, b.sha256, b.stored,
            s.uid, s.gid
        """
    /// Every file of a snapshot (parameter: the snapshot id).
    static let sql =
        columns + "\n" + """
            FROM entries e
            JOIN file_states s ON s.id = e.state_id
            JOIN paths p ON p.id = s.path_id
            LEFT JOIN blobs b ON b.id = s.blob_id
            WHERE e.snapshot_id = ? AND s.kind <> 4
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
            WHERE p.path = ? AND s.kind <> 4
            """
    /// One file state by its id (parameter: the state id), through primary keys only; none for a
    /// directory's state.
    static let oneStateSQL =
        columns + "\n" + """
            FROM file_states s
            JOIN paths p ON p.id = s.path_id
            LEFT JOIN blobs b ON b.id = s.blob_id
            WHERE s.id = ? AND s.kind <> 4
            """

    static func record(_ row: Statement) -> FileRecord {
        let kind: FileKind
        switch row.int64(1) {
        case 0: kind = .regular
        case 1: kind = .symlink(target: row.isNull(7) ? "" : row.pathKey(7))
        case 3: kind = .vanished(reason: row.optionalText(7) ?? "")
        default: kind = .unreadable(reason: row.optionalText(7) ?? "")
        }
        return FileRecord(
            path: row.pathKey(0), kind: kind, mode: UInt32(truncatingIfNeeded: row.int64(2)),
            size: row.int64(3),
            modificationTimeNanoseconds: row.int64(4), changeTimeNanoseconds: row.int64(5),
            inode: UInt64(bitPattern: row.int64(6)),
            contentHash: row.isNull(8) ? nil : ContentHash(bytes: row.blob(8)),
            isContentStored: !row.isNull(9) && row.int64(9) != 0,
            owner: row.optionalInt64(10).map { UInt32(truncatingIfNeeded: $0) },
            group: row.optionalInt64(11).map { UInt32(truncatingIfNeeded: $0) })
    }
}
