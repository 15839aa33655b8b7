import DriftCore
import FileSystem
import FoundationEssentials
import Glibc

/// Opens a file for reading its content, given the bytes of its absolute path (a name need not be
/// UTF-8). A seam for tests that need a read to fail the way it would for an unprivileged daemon
/// (tests run as root here, and root reads a chmod 000 file).
typealias FileOpener = @Sendable (_ absolutePath: [UInt8]) -> Int32

/// The default opener: never follows a symlink swapped in after `lstat`, never blocks on a FIFO.
let openForSnapshot: FileOpener = { path in
    RawPath.withCString(path) { open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
}

/// Records one snapshot of a directory inside the caller's write transaction.
struct SnapshotWriter {
    let database: Database
    let options: SnapshotOptions
    var opener: FileOpener = openForSnapshot
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

    /// A regular file as the previous snapshot recorded it, loaded in one query so that an
    /// unchanged file costs a dictionary lookup instead of two index searches.
    private struct KnownState {
        let stateID: Int64
        let mtime: Int64
        let ctime: Int64
        let size: Int64
        let inode: Int64
        let mode: Int64
        let blobID: Int64
        /// False for states recorded before owners were (schema version 3).
        let hasOwner: Bool
        let isDirectory: Bool
    }

    private func previousStates(before snapshotID: Int64) throws -> [String: KnownState] {
        var known: [String: KnownState] = [:]
        try database.prepare(
            """
            SELECT p.path, s.id, s.mtime_ns, s.ctime_ns, s.size, s.inode, s.mode, s.blob_id, s.uid, s.kind
            FROM entries e JOIN file_states s ON s.id = e.state_id JOIN paths p ON p.id = s.path_id
            WHERE e.snapshot_id = (SELECT max(id) FROM snapshots WHERE id < ?)
              AND ((s.kind = 0 AND s.blob_id IS NOT NULL) OR (s.kind = 4 AND s.uid IS NOT NULL))
            """
        ).forEachRow([.integer(snapshotID)]) { row in
            known[row.pathKey(0)] = KnownState(
                stateID: row.int64(1), mtime: row.int64(2), ctime: row.int64(3), size: row.int64(4),
                inode: row.int64(5), mode: row.int64(6), blobID: row.int64(7), hasOwner: !row.isNull(8),
                isDirectory: row.int64(9) == 4)
        }
        return known
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

    func write(root: String) throws -> SnapshotResult {
        let walker = DirectoryWalker(root: root, filter: options.filter)
        let now = options.takenAtNanoseconds ?? currentTimeNanoseconds()
        try database.cached("INSERT INTO snapshots (taken_at_ns, root, checked_at_ns) VALUES (?, ?, ?)")
            .run([.integer(now), .text(root), .integer(now)])
        let snapshotID = database.lastInsertedRowID
        let blobs = BlobStore(database: database)
        var buffer: [UInt8] = []
        var tally = Tally()
        let known = try previousStates(before: snapshotID)
        try walker.walk { entry in
            switch entry {
            case .directory(let path, let status):
                // An unchanged directory (same mtime, ctime, inode, mode) keeps its state, as a file does.
                if let previous = known[path], previous.isDirectory, Self.matches(previous, status) {
                    try insertEntry(snapshotID, previous.stateID)
                    manifest.carriedOver.insert(previous.stateID)
                } else {
                    try recordState(snapshotID, path, .directory, status, blobID: nil)
                }
            case .regular(let path, let status):
                if let previous = known[path], !previous.isDirectory, Self.matches(previous, status) {
                    if previous.hasOwner {
                        try insertEntry(snapshotID, previous.stateID)
                        manifest.carriedOver.insert(previous.stateID)
                    } else {
                        // Recorded before owners were: same content, now with its owner and group.
                        let hash =
                            try database.cached("SELECT sha256 FROM blobs WHERE id = ?")
                            .firstRow([.integer(previous.blobID)]) { $0.rawBytes(0) } ?? nil
                        try recordState(
                            snapshotID, path, .regular, status, blobID: previous.blobID, contentHash: hash)
                    }
                    tally.fileCount += 1
                    tally.filesReused += 1
                    tally.totalSize += Int64(status.st_size)
                    return
                }
                try recordRegular(
                    path, status, root: root, snapshotID: snapshotID, blobs: blobs, buffer: &buffer,
                    tally: &tally)
            case .symlink(let path, let status):
                var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let length = RawPath.withCString(DirectoryWalker.sourcePath(of: path, under: root)) {
                    readlink($0, &target, target.count - 1)
                }
                if length < 0 {
                    try recordProblem(path, status, errno: errno, snapshotID: snapshotID, tally: &tally)
                } else {
                    // The target's exact bytes: it need not be UTF-8 either.
                    let key = PathName.key(target[..<length].map { UInt8(bitPattern: $0) })
                    try recordState(snapshotID, path, .symlink, status, blobID: nil, detail: .path(key))
                    tally.fileCount += 1
                }
            case .special(let path, let type):
                tally.skipped.append(SkippedEntry(path: path, type: type))
            case .failed(let path, let status, let code):
                try recordProblem(path, status, errno: code, snapshotID: snapshotID, tally: &tally)
            }
        }
        try recordPreparedContents(
            upTo: 0, snapshotID: snapshotID, blobs: blobs, buffer: &buffer, tally: &tally)
        for virtual in options.virtualFiles {
            try recordVirtual(virtual, snapshotID: snapshotID, blobs: blobs, buffer: &buffer, tally: &tally)
        }
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

    /// Same size, mtime, ctime, inode and mode: the file was not changed since it was recorded.
    private static func matches(_ known: KnownState, _ status: stat) -> Bool {
        known.size == Int64(status.st_size) && known.mtime == nanoseconds(status.st_mtim)
            && known.ctime == nanoseconds(status.st_ctim)
            && known.inode == Int64(bitPattern: UInt64(status.st_ino))
            && known.mode == Int64(status.st_mode & 0o7777)
    }

    private func recordRegular(
        _ path: String, _ listed: stat, root: String, snapshotID: Int64, blobs: BlobStore,
        buffer: inout [UInt8],
        tally: inout Tally
    ) throws {
        let pathID = try pathID(for: path)
        // Unchanged since a snapshot we still hold: same size, mtime, ctime and inode. Reuse its state.
        if let stateID = try database.cached(
            """
            SELECT s.id, b.sha256 FROM file_states s JOIN blobs b ON b.id = s.blob_id
            WHERE s.path_id = ? AND s.mtime_ns = ? AND s.kind = 0 AND s.size = ?
            AND s.ctime_ns = ? AND s.inode = ? AND s.mode = ? AND s.uid = ? AND s.gid = ?
            ORDER BY s.id DESC LIMIT 1
            """
        ).firstRow(
            [
                .integer(pathID), .integer(nanoseconds(listed.st_mtim)), .integer(Int64(listed.st_size)),
                .integer(nanoseconds(listed.st_ctim)), .integer(Int64(bitPattern: UInt64(listed.st_ino))),
                .integer(Int64(listed.st_mode & 0o7777)), .integer(Int64(listed.st_uid)),
                .integer(Int64(listed.st_gid)),
            ], { ($0.int64(0), $0.rawBytes(1)) })
        {
            try insertEntry(snapshotID, stateID.0)
            manifest.digest.add(
                path: PathName.bytes(path), kind: Kind.regular.rawValue, mode: Int64(listed.st_mode & 0o7777),
                size: Int64(listed.st_size), owner: Int64(listed.st_uid), group: Int64(listed.st_gid),
                detail: nil,
                contentHash: stateID.1)
            tally.fileCount += 1
            tally.filesReused += 1
            tally.totalSize += Int64(listed.st_size)
            return
        }
        let descriptor = opener(DirectoryWalker.sourcePath(of: path, under: root))
        guard descriptor >= 0 else {
            return try recordProblem(path, listed, errno: errno, snapshotID: snapshotID, tally: &tally)
        }
        var handedOver = false
        defer { if !handedOver { close(descriptor) } }
        // Record the metadata of what was actually opened, so the next snapshot compares like with like.
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            return try recordProblem(path, listed, errno: errno, snapshotID: snapshotID, tally: &tally)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            return try recordProblem(
                path, listed, errno: EAGAIN, snapshotID: snapshotID, tally: &tally,
                reason: "it stopped being a regular file while the snapshot was taken")
        }
        let storeContent = Int64(status.st_size) <= options.maximumStoredFileSize
        if storeContent && status.st_size < BlobStore.chunkSize {
            // Read, hashed and compressed on a worker thread; recorded here, in order, a few files later.
            contents.submit(
                ContentPipeline.Job(
                    path: path, pathID: pathID, status: status, descriptor: descriptor,
                    problemsBefore: tally.problems.count - contents.recordedProblems))
            handedOver = true
            return try recordPreparedContents(
                upTo: contents.window - 1, snapshotID: snapshotID, blobs: blobs, buffer: &buffer,
                tally: &tally)
        }
        let outcome = try blobs.store(descriptor: descriptor, storeContent: storeContent, buffer: &buffer)
        try recordContent(
            outcome, path: path, pathID: pathID, status: status, storeContent: storeContent,
            snapshotID: snapshotID,
            tally: &tally)
    }

    /// Records the files handed to ``contents`` in the order they were handed over, waiting for their
    /// workers, until at most `inFlight` remain.
    private func recordPreparedContents(
        upTo inFlight: Int, snapshotID: Int64, blobs: BlobStore, buffer: inout [UInt8], tally: inout Tally
    ) throws {
        while contents.pendingCount > inFlight, let prepared = contents.takeOldest() {
            let job = prepared.job
            defer { close(job.descriptor) }
            let outcome: BlobStore.Outcome
            switch prepared.preparation {
            case .prepared(let content):
                outcome = try blobs.store(content)
            case .grew:
                // Longer than when it was examined: streamed from its start like any big file.
                outcome =
                    lseek(job.descriptor, 0, SEEK_SET) == 0
                    ? try blobs.store(descriptor: job.descriptor, storeContent: true, buffer: &buffer)
                    : .failed(errno: errno)
            case .failed(let code):
                outcome = .failed(errno: code)
            }
            let problems = tally.problems.count
            try recordContent(
                outcome, path: job.path, pathID: job.pathID, status: job.status, storeContent: true,
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
        _ outcome: BlobStore.Outcome, path: String, pathID: Int64, status: stat, storeContent: Bool,
        snapshotID: Int64, tally: inout Tally
    ) throws {
        switch outcome {
        case .failed(let code):
            try recordProblem(path, status, errno: code, snapshotID: snapshotID, tally: &tally)
        case .stored(let blobID, let hash, let size):
            var status = status
            status.st_size = Int(size)
            try recordState(
                snapshotID, path, .regular, status, blobID: blobID, contentHash: hash.bytes, pathID: pathID)
            tally.fileCount += 1
            tally.filesRead += 1
            tally.totalSize += size
            if !storeContent { tally.oversized.append(path) }
        }
    }

    /// A computed file: its bytes go through the same blob store as a file's (from an anonymous
    /// temporary file, removed when closed), with a fixed status (mode 0600, no times, no inode) so an unchanged content
    /// reuses its recorded state instead of adding one per cycle.
    private func recordVirtual(
        _ file: VirtualFile, snapshotID: Int64, blobs: BlobStore, buffer: inout [UInt8], tally: inout Tally
    ) throws {
        guard let temporary = tmpfile() else {
            return try recordProblem(file.path, nil, errno: errno, snapshotID: snapshotID, tally: &tally)
        }
        defer { fclose(temporary) }
        let descriptor = fileno(temporary)
        let code = POSIX.writeAll(descriptor, file.bytes)
        guard code == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
            return try recordProblem(
                file.path, nil, errno: code == 0 ? errno : code, snapshotID: snapshotID, tally: &tally)
        }
        var status = stat()
        status.st_mode = S_IFREG | 0o600
        switch try blobs.store(descriptor: descriptor, storeContent: true, buffer: &buffer) {
        case .failed(let code):
            try recordProblem(file.path, status, errno: code, snapshotID: snapshotID, tally: &tally)
        case .stored(let blobID, let hash, let size):
            status.st_size = Int(size)
            try recordState(snapshotID, file.path, .regular, status, blobID: blobID, contentHash: hash.bytes)
            tally.fileCount += 1
            tally.filesRead += 1
            tally.totalSize += size
        }
    }

    private func recordProblem(
        _ path: String, _ status: stat?, errno code: Int32, snapshotID: Int64, tally: inout Tally,
        reason: String? = nil
    ) throws {
        let kind: Kind = code == ENOENT || code == ENOTDIR ? .vanished : .unreadable
        let text = reason ?? POSIX.errorText(code)
        let recorded = status ?? stat()
        try recordState(snapshotID, path, kind, recorded, blobID: nil, detail: .text(text))
        tally.fileCount += 1
        tally.problems.append(
            FileRecord(
                path: path, kind: kind == .vanished ? .vanished(reason: text) : .unreadable(reason: text),
                mode: UInt32(recorded.st_mode & 0o7777), size: Int64(recorded.st_size),
                modificationTimeNanoseconds: nanoseconds(recorded.st_mtim),
                changeTimeNanoseconds: nanoseconds(recorded.st_ctim), inode: UInt64(recorded.st_ino),
                contentHash: nil, isContentStored: false,
                owner: status.map { UInt32($0.st_uid) }, group: status.map { UInt32($0.st_gid) }))
    }

    private func recordState(
        _ snapshotID: Int64, _ path: String, _ kind: Kind, _ status: stat, blobID: Int64?,
        detail: SQLValue = .null, contentHash: [UInt8]? = nil, pathID knownPathID: Int64? = nil
    ) throws {
        let pathID = try knownPathID ?? pathID(for: path)
        // A path that could not be examined at all has no owner to record (an all-zero stat).
        let examined = status.st_mode != 0
        let values: [SQLValue] = [
            .integer(pathID), .integer(nanoseconds(status.st_mtim)), .integer(kind.rawValue),
            .integer(Int64(status.st_mode & 0o7777)), .integer(Int64(status.st_size)),
            .integer(nanoseconds(status.st_ctim)), .integer(Int64(bitPattern: UInt64(status.st_ino))),
            blobID.map { .integer($0) } ?? .null, detail,
            examined ? .integer(Int64(status.st_uid)) : .null,
            examined ? .integer(Int64(status.st_gid)) : .null,
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
            path: PathName.bytes(path), kind: kind.rawValue, mode: Int64(status.st_mode & 0o7777),
            size: Int64(status.st_size), owner: examined ? Int64(status.st_uid) : nil,
            group: examined ? Int64(status.st_gid) : nil, detail: detail.rawBytes, contentHash: contentHash)
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

func nanoseconds(_ time: timespec) -> Int64 {
    Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}

func currentTimeNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return nanoseconds(now)
}
