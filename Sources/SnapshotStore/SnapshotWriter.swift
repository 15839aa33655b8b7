import FileSystem
import FoundationEssentials

/// Records one snapshot of a source inside the caller's write transaction.
struct SnapshotWriter {
    let database: Database
    let options: SnapshotOptions
    /// The latest snapshot's states, as loaded for this snapshot (shared with the unchanged check).
    let latest: LatestStates
    /// The digest of every record of this snapshot, kept with it (see ``ManifestDigest``).
    private let manifest = ManifestAccumulator()
    /// Small files being read, hashed and compressed on other threads (see ``ContentPipeline``).
    private let contents = ContentPipeline()

    private final class ManifestAccumulator {
        /// The records this snapshot added (everything not carried over unchanged).
        var digest = ManifestDigest()
        /// States of the previous snapshot taken over as they were: their records are already in
        /// the previous snapshot's digest.
        var carriedOver = Set<Int64>()
    }

    private enum Kind: Int64 {
        case regular = 0, symlink = 1, unreadable = 2, vanished = 3, directory = 4
    }

    private struct Tally {
        var fileCount = 0
        var totalSize: Int64 = 0
        var filesRead = 0
        var filesReused = 0
        var skipped: [SkippedEntry] = []
        var oversized: [String] = []
        var problems: [FileRecord] = []
    }

    func write(_ source: some SnapshotSource) throws -> SnapshotResult {
        let now = options.takenAtNanoseconds ?? currentTimeNanoseconds()
        try database.cached("INSERT INTO snapshots (taken_at_ns, root, checked_at_ns) VALUES (?, ?, ?)")
            .run([.integer(now), .text(source.root), .integer(now)])
        let snapshotID = database.lastInsertedRowID
        let blobs = BlobStore(database: database)
        var buffer: [UInt8] = []
        var tally = Tally()
        let known = latest.byPath
        try source.forEachEntry { entry in
            let path = entry.path
            let attributes = entry.attributes
            switch entry.kind {
            case .directory:
                // An unchanged directory (same mtime, ctime, inode, mode) keeps its state, as a file does.
                if let previous = known[path], previous.isDirectory, previous.owner != nil,
                    Self.matches(previous, attributes)
                {
                    try insertEntry(snapshotID, previous.stateID)
                    manifest.carriedOver.insert(previous.stateID)
                } else {
                    try recordState(snapshotID, path, .directory, attributes, blobID: nil)
                }
            case .file(.onDisk(let open)):
                if let previous = known[path], previous.kind == 0, let blobID = previous.blobID,
                    Self.matches(previous, attributes)
                {
                    if previous.owner != nil {
                        try insertEntry(snapshotID, previous.stateID)
                        manifest.carriedOver.insert(previous.stateID)
                    } else {
                        // Recorded before owners were: same content, now with its owner and group.
                        let hash =
                            try database.cached("SELECT sha256 FROM blobs WHERE id = ?")
                            .firstRow([.integer(blobID)]) { $0.rawBytes(0) } ?? nil
                        try recordState(
                            snapshotID, path, .regular, attributes, blobID: blobID, contentHash: hash)
                    }
                    tally.fileCount += 1
                    tally.filesReused += 1
                    tally.totalSize += attributes.stamp?.size ?? 0
                    return
                }
                try recordRegular(
                    path, attributes, open: open, snapshotID: snapshotID, blobs: blobs, buffer: &buffer,
                    tally: &tally)
            case .file(.inMemory(let bytes)):
                try recordInMemory(
                    path, bytes, attributes, snapshotID: snapshotID, blobs: blobs, buffer: &buffer,
                    tally: &tally)
            case .symlink(let target):
                // The target's exact bytes: it need not be UTF-8 either.
                try recordState(
                    snapshotID, path, .symlink, attributes, blobID: nil, detail: .path(PathName.key(target)))
                tally.fileCount += 1
            case .skipped(let type):
                tally.skipped.append(SkippedEntry(path: path, type: type))
            case .problem(let code, let reason):
                try recordProblem(
                    path, attributes, errno: code, snapshotID: snapshotID, tally: &tally, reason: reason)
            }
        }
        try recordPreparedContents(
            upTo: 0, snapshotID: snapshotID, blobs: blobs, buffer: &buffer, tally: &tally)
        let digest = try manifestDigest(of: snapshotID)
        try database.cached(
            "UPDATE snapshots SET file_count = ?, total_size = ?, manifest_digest = ? WHERE id = ?"
        ).run([
            .integer(Int64(tally.fileCount)), .integer(tally.totalSize), .blob(digest.bytes),
            .integer(snapshotID),
        ])
        return SnapshotResult(
            id: SnapshotID(snapshotID), fileCount: tally.fileCount, totalSize: tally.totalSize,
            filesRead: tally.filesRead, filesReused: tally.filesReused, skipped: tally.skipped,
            oversizedFiles: tally.oversized, problems: tally.problems, rotation: nil)
    }

    /// The digest of this snapshot's manifest. From the previous snapshot's digest when it has one:
    /// minus the records it held that this snapshot did not carry over, plus the records this one
    /// added, so an unchanged cycle hashes a few hundred records, not ten thousand. Otherwise (the
    /// first snapshot, or the first after schema 3) from every record.
    private func manifestDigest(of snapshotID: Int64) throws -> ManifestDigest {
        guard
            let (previousID, previousBytes) = try database.cached(
                "SELECT id, manifest_digest FROM snapshots WHERE id < ? ORDER BY id DESC LIMIT 1"
            ).firstRow([.integer(snapshotID)], { ($0.int64(0), $0.rawBytes(1)) }),
            let previousBytes, var digest = ManifestDigest(bytes: previousBytes)
        else { return try ManifestDigest.of(snapshot: snapshotID, in: database) }
        digest.add(manifest.digest)
        var dropped: [Int64] = []
        try database.cached("SELECT state_id FROM entries WHERE snapshot_id = ?").forEachRow([
            .integer(previousID)
        ]) {
            let state = $0.int64(0)
            if !manifest.carriedOver.contains(state) { dropped.append(state) }
        }
        for state in dropped {
            try ManifestDigest.forRecord(state: state, in: database) { digest.subtract($0) }
        }
        return digest
    }

    /// Same size, mtime, ctime, inode and mode: the entry was not changed since it was recorded.
    /// Never for an entry without change stamp.
    private static func matches(_ known: LatestStates.State, _ attributes: EntryAttributes) -> Bool {
        guard let stamp = attributes.stamp else { return false }
        return known.size == stamp.size && known.mtime == stamp.modificationTimeNanoseconds
            && known.ctime == stamp.changeTimeNanoseconds && known.inode == Int64(bitPattern: stamp.inode)
            && known.mode == Int64(attributes.mode)
    }

    private func recordRegular(
        _ path: String, _ listed: EntryAttributes, open: () -> OpenedContent, snapshotID: Int64,
        blobs: BlobStore,
        buffer: inout [UInt8],
        tally: inout Tally
    ) throws {
        let pathID = try pathID(for: path)
        // Unchanged since a snapshot we still hold: same size, mtime, ctime and inode. Reuse its state.
        if let stamp = listed.stamp, let owner = listed.owner, let group = listed.group,
            let stateID = try database.cached(
                """
                SELECT s.id, b.sha256 FROM file_states s JOIN blobs b ON b.id = s.blob_id
                WHERE s.path_id = ? AND s.mtime_ns = ? AND s.kind = 0 AND s.size = ?
                AND s.ctime_ns = ? AND s.inode = ? AND s.mode = ? AND s.uid = ? AND s.gid = ?
                ORDER BY s.id DESC LIMIT 1
                """
            ).firstRow(
                [
                    .integer(pathID), .integer(stamp.modificationTimeNanoseconds), .integer(stamp.size),
                    .integer(stamp.changeTimeNanoseconds), .integer(Int64(bitPattern: stamp.inode)),
                    .integer(Int64(listed.mode)), .integer(Int64(owner)), .integer(Int64(group)),
                ], { ($0.int64(0), $0.rawBytes(1)) })
        {
            try insertEntry(snapshotID, stateID.0)
            manifest.digest.add(
                path: PathName.bytes(path), kind: Kind.regular.rawValue, mode: Int64(listed.mode),
                size: stamp.size, owner: Int64(owner), group: Int64(group), detail: nil,
                contentHash: stateID.1)
            tally.fileCount += 1
            tally.filesReused += 1
            tally.totalSize += stamp.size
            return
        }
        // Record the metadata of what was actually opened, so the next snapshot compares like with like.
        switch open() {
        case .failed(let code, let reason):
            try recordProblem(
                path, listed, errno: code, snapshotID: snapshotID, tally: &tally, reason: reason)
        case .opened(let descriptor, let attributes):
            let size = attributes.stamp?.size ?? 0
            let storeContent = size <= options.maximumStoredFileSize
            if storeContent && size < Int64(BlobStore.chunkSize) {
                // Read, hashed and compressed on a worker thread; recorded here, in order, a few files later.
                contents.submit(
                    ContentPipeline.Job(
                        path: path, pathID: pathID, attributes: attributes, descriptor: descriptor,
                        problemsBefore: tally.problems.count - contents.recordedProblems))
                return try recordPreparedContents(
                    upTo: contents.window - 1, snapshotID: snapshotID, blobs: blobs, buffer: &buffer,
                    tally: &tally)
            }
            defer { OpenFile.close(descriptor) }
            let outcome = try blobs.store(descriptor: descriptor, storeContent: storeContent, buffer: &buffer)
            try recordContent(
                outcome, path: path, pathID: pathID, attributes: attributes, storeContent: storeContent,
                snapshotID: snapshotID, tally: &tally)
        }
    }

    /// Records the files handed to ``contents`` in the order they were handed over, waiting for their
    /// workers, until at most `inFlight` remain.
    private func recordPreparedContents(
        upTo inFlight: Int, snapshotID: Int64, blobs: BlobStore, buffer: inout [UInt8], tally: inout Tally
    ) throws {
        while contents.pendingCount > inFlight, let prepared = contents.takeOldest() {
            let job = prepared.job
            defer { OpenFile.close(job.descriptor) }
            let outcome: BlobStore.Outcome
            switch prepared.preparation {
            case .prepared(let content):
                outcome = try blobs.store(content)
            case .grew:
                // Longer than when it was examined: streamed from its start like any big file.
                if let code = OpenFile.rewind(job.descriptor) {
                    outcome = .failed(errno: code.value)
                } else {
                    outcome = try blobs.store(descriptor: job.descriptor, storeContent: true, buffer: &buffer)
                }
            case .failed(let code):
                outcome = .failed(errno: code)
            }
            let problems = tally.problems.count
            try recordContent(
                outcome, path: job.path, pathID: job.pathID, attributes: job.attributes, storeContent: true,
                snapshotID: snapshotID, tally: &tally)
            if tally.problems.count > problems {
                // Its place in the walk's order: after the problems found before it was handed over
                // and those of the files handed over before it.
                let problem = tally.problems.removeLast()
                tally.problems.insert(problem, at: job.problemsBefore + contents.recordedProblems)
                contents.recordedProblems += 1
            }
        }
    }

    /// Records a regular file whose content was stored, or the problem that kept it from being read.
    private func recordContent(
        _ outcome: BlobStore.Outcome, path: String, pathID: Int64, attributes: EntryAttributes,
        storeContent: Bool, snapshotID: Int64, tally: inout Tally
    ) throws {
        switch outcome {
        case .failed(let code):
            try recordProblem(path, attributes, errno: code, snapshotID: snapshotID, tally: &tally)
        case .stored(let blobID, let hash, let size):
            try recordState(
                snapshotID, path, .regular, attributes, size: size, blobID: blobID, contentHash: hash.bytes,
                pathID: pathID)
            tally.fileCount += 1
            tally.filesRead += 1
            tally.totalSize += size
            if !storeContent { tally.oversized.append(path) }
        }
    }

    /// Content held in memory (a computed file): its bytes go through the same blob store as a
    /// file's (from an anonymous temporary file, removed when closed), always stored in full; with
    /// no change stamp (no times, no inode), an unchanged content reuses its recorded state instead
    /// of adding one per cycle.
    private func recordInMemory(
        _ path: String, _ bytes: [UInt8], _ attributes: EntryAttributes, snapshotID: Int64, blobs: BlobStore,
        buffer: inout [UInt8], tally: inout Tally
    ) throws {
        let descriptor: Int32
        switch AnonymousFile.holding(bytes) {
        case .failure(let code):
            return try recordProblem(
                path, .unexamined, errno: code.value, snapshotID: snapshotID, tally: &tally)
        case .success(let opened):
            descriptor = opened
        }
        defer { OpenFile.close(descriptor) }
        switch try blobs.store(descriptor: descriptor, storeContent: true, buffer: &buffer) {
        case .failed(let code):
            try recordProblem(path, attributes, errno: code, snapshotID: snapshotID, tally: &tally)
        case .stored(let blobID, let hash, let size):
            try recordState(
                snapshotID, path, .regular, attributes, size: size, blobID: blobID, contentHash: hash.bytes)
            tally.fileCount += 1
            tally.filesRead += 1
            tally.totalSize += size
        }
    }

    private func recordProblem(
        _ path: String, _ attributes: EntryAttributes, errno code: Int32, snapshotID: Int64,
        tally: inout Tally,
        reason: String? = nil
    ) throws {
        let kind: Kind = ErrnoCode(code).meansVanished ? .vanished : .unreadable
        let text = reason ?? POSIX.errorText(code)
        try recordState(snapshotID, path, kind, attributes, blobID: nil, detail: .text(text))
        tally.fileCount += 1
        let stamp = attributes.stamp
        tally.problems.append(
            FileRecord(
                path: path, kind: kind == .vanished ? .vanished(reason: text) : .unreadable(reason: text),
                mode: attributes.mode, size: stamp?.size ?? 0,
                modificationTimeNanoseconds: stamp?.modificationTimeNanoseconds ?? 0,
                changeTimeNanoseconds: stamp?.changeTimeNanoseconds ?? 0, inode: stamp?.inode ?? 0,
                contentHash: nil, isContentStored: false, owner: attributes.owner, group: attributes.group))
    }

    /// - Parameter size: the size of the content read, when it was (else the stamp's).
    private func recordState(
        _ snapshotID: Int64, _ path: String, _ kind: Kind, _ attributes: EntryAttributes, size: Int64? = nil,
        blobID: Int64?, detail: SQLValue = .null, contentHash: [UInt8]? = nil,
        pathID knownPathID: Int64? = nil
    ) throws {
        let pathID = try knownPathID ?? pathID(for: path)
        let stamp = attributes.stamp
        let size = size ?? stamp?.size ?? 0
        // A path that could not be examined at all has no owner to record.
        let owner: SQLValue = attributes.owner.map { .integer(Int64($0)) } ?? .null
        let group: SQLValue = attributes.group.map { .integer(Int64($0)) } ?? .null
        let values: [SQLValue] = [
            .integer(pathID), .integer(stamp?.modificationTimeNanoseconds ?? 0), .integer(kind.rawValue),
            .integer(Int64(attributes.mode)), .integer(size), .integer(stamp?.changeTimeNanoseconds ?? 0),
            .integer(Int64(bitPattern: stamp?.inode ?? 0)), blobID.map { .integer($0) } ?? .null, detail,
            owner, group,
        ]
        let existing = try database.cached(
            """
            SELECT id FROM file_states WHERE path_id = ? AND mtime_ns = ? AND kind = ? AND mode = ? AND size = ?
            AND ctime_ns = ? AND inode = ? AND blob_id IS ? AND detail IS ? AND uid IS ? AND gid IS ? LIMIT 1
            """
        ).firstRow(values) { $0.int64(0) }
        let stateID: Int64
        if let existing {
            stateID = existing
        } else {
            try database.cached(
                """
                INSERT INTO file_states (path_id, mtime_ns, kind, mode, size, ctime_ns, inode, blob_id, detail,
                    uid, gid)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).run(values)
            stateID = database.lastInsertedRowID
        }
        try insertEntry(snapshotID, stateID)
        manifest.digest.add(
            path: PathName.bytes(path), kind: kind.rawValue, mode: Int64(attributes.mode), size: size,
            owner: attributes.owner.map { Int64($0) }, group: attributes.group.map { Int64($0) },
            detail: detail.rawBytes, contentHash: contentHash)
    }

    private func insertEntry(_ snapshotID: Int64, _ stateID: Int64) throws {
        try database.cached("INSERT INTO entries (snapshot_id, state_id) VALUES (?, ?)")
            .run([.integer(snapshotID), .integer(stateID)])
    }

    private func pathID(for path: String) throws -> Int64 {
        if let id = try database.cached("SELECT id FROM paths WHERE path = ?").firstRow(
            [.path(path)], { $0.int64(0) })
        {
            return id
        }
        try database.cached("INSERT INTO paths (path) VALUES (?)").run([.path(path)])
        return database.lastInsertedRowID
    }
}

func currentTimeNanoseconds() -> Int64 {
    POSIX.wallClockNanoseconds()
}
