import Crypto
import FileSystem

/// Content-addressed storage: a file's bytes are stored once under their SHA-256, in chunks of at most
/// ``chunkSize`` bytes, each compressed only when that pays (see ``BlobCompression``).
///
/// Reads stream through one reusable buffer, so memory stays bounded whatever the file size.
struct BlobStore {
    static let chunkSize = 1 << 20
    let database: Database

    enum Outcome {
        case stored(blobID: Int64, hash: ContentHash, size: Int64)
        /// `read` failed; the errno says why.
        case failed(errno: Int32)
    }

    /// Hashes the file open at `descriptor` and stores its content unless `storeContent` is false or an
    /// identical blob already exists. Must run inside a write transaction.
    func store(descriptor: Int32, storeContent: Bool, buffer: inout [UInt8]) throws -> Outcome {
        if buffer.count != Self.chunkSize { buffer = [UInt8](repeating: 0, count: Self.chunkSize) }
        var hasher = SHA256()
        let first = buffer.withUnsafeMutableBytes { POSIX.readFully(descriptor, into: $0) }
        guard first.errno == 0 else { return .failed(errno: first.errno) }
        buffer.withUnsafeBytes {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<first.count]))
        }
        if first.count < Self.chunkSize {
            // The whole file fits in one chunk: the common case for configuration files.
            let hash = ContentHash(bytes: Array(hasher.finalize()))
            let size = Int64(first.count)
            if let existing = try existingBlob(hash) {
                if storeContent && !existing.stored {
                    try buffer.withUnsafeBytes {
                        try insertChunk(blobID: existing.id, seq: 0, $0[..<first.count])
                    }
                    try database.cached("UPDATE blobs SET stored = 1 WHERE id = ?").run([
                        .integer(existing.id)
                    ])
                }
                return .stored(blobID: existing.id, hash: hash, size: size)
            }
            let blobID = try insertBlob(hash: hash.bytes, size: size, stored: storeContent)
            if storeContent && size > 0 {
                try buffer.withUnsafeBytes { try insertChunk(blobID: blobID, seq: 0, $0[..<first.count]) }
            }
            return .stored(blobID: blobID, hash: hash, size: size)
        }
        return try database.savepoint {
            try storeStreaming(
                descriptor, storeContent: storeContent, firstCount: first.count,
                hasher: &hasher, buffer: &buffer)
        }
    }

    /// A file of less than one chunk, read, hashed and encoded without the database, so that it can
    /// be done on any thread while the writer's thread stores what is ready
    /// (``store(_:)``, in the write transaction).
    struct PreparedContent: Sendable {
        let hash: ContentHash
        let size: Int64
        /// The one chunk as it is stored; `nil` for an empty file.
        let chunk: EncodedChunk?
    }

    struct EncodedChunk: Sendable {
        let encoding: ChunkEncoding
        let bytes: [UInt8]
        /// Its length decoded.
        let length: Int
    }

    enum Preparation: Sendable {
        case prepared(PreparedContent)
        /// The file holds more than `expectedSize` bytes now: it grew since it was examined, and is
        /// stored by streaming (``store(descriptor:storeContent:buffer:)``) after a seek to its start.
        case grew
        /// `read` failed; the errno says why.
        case failed(errno: Int32)
    }

    /// Reads the file open at `descriptor`, of `expectedSize` bytes (less than ``chunkSize``), hashes
    /// and encodes it. Touches no database: safe on any thread.
    static func prepare(descriptor: Int32, expectedSize: Int) -> Preparation {
        precondition(expectedSize < chunkSize, "only files of less than one chunk are prepared")
        // One byte more than expected tells a file that grew from one read whole.
        let capacity = expectedSize + 1
        var filled = (count: 0, errno: Int32(0))
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            filled = POSIX.readFully(descriptor, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = filled.count
        }
        guard filled.errno == 0 else { return .failed(errno: filled.errno) }
        guard bytes.count < capacity else { return .grew }
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let hash = ContentHash(bytes: Array(hasher.finalize()))
        guard !bytes.isEmpty else { return .prepared(PreparedContent(hash: hash, size: 0, chunk: nil)) }
        let (encoding, stored) = bytes.withUnsafeBytes { BlobCompression.encode($0) }
        return .prepared(
            PreparedContent(
                hash: hash, size: Int64(bytes.count),
                chunk: EncodedChunk(encoding: encoding, bytes: stored, length: bytes.count)))
    }

    /// Stores a prepared file's content, once: an identical blob stored earlier is reused. Must run
    /// inside a write transaction.
    func store(_ content: PreparedContent) throws -> Outcome {
        if let existing = try existingBlob(content.hash) {
            if !existing.stored {
                if let chunk = content.chunk { try insertChunk(blobID: existing.id, seq: 0, chunk) }
                try database.cached("UPDATE blobs SET stored = 1 WHERE id = ?").run([.integer(existing.id)])
            }
            return .stored(blobID: existing.id, hash: content.hash, size: content.size)
        }
        let blobID = try insertBlob(hash: content.hash.bytes, size: content.size, stored: true)
        if let chunk = content.chunk { try insertChunk(blobID: blobID, seq: 0, chunk) }
        return .stored(blobID: blobID, hash: content.hash, size: content.size)
    }

    /// Big files: chunks go under a provisional blob row while hashing; once the hash is known the row
    /// is kept, or dropped in favour of an identical blob stored earlier.
    private func storeStreaming(
        _ descriptor: Int32, storeContent: Bool, firstCount: Int, hasher: inout SHA256, buffer: inout [UInt8]
    ) throws -> Outcome {
        let provisionalID = try insertBlob(hash: [], size: 0, stored: storeContent)
        var size = Int64(firstCount)
        var seq: Int64 = 0
        var count = firstCount
        while count > 0 {
            if storeContent {
                try buffer.withUnsafeBytes { try insertChunk(blobID: provisionalID, seq: seq, $0[..<count]) }
            }
            seq += 1
            let next = buffer.withUnsafeMutableBytes { POSIX.readFully(descriptor, into: $0) }
            guard next.errno == 0 else {
                try database.cached("DELETE FROM blobs WHERE id = ?").run([.integer(provisionalID)])
                return .failed(errno: next.errno)
            }
            count = next.count
            size += Int64(count)
            buffer.withUnsafeBytes {
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<count]))
            }
        }
        let hash = ContentHash(bytes: Array(hasher.finalize()))
        if let existing = try existingBlob(hash) {
            if storeContent && !existing.stored {
                try database.cached("UPDATE blob_chunks SET blob_id = ? WHERE blob_id = ?")
                    .run([.integer(existing.id), .integer(provisionalID)])
                try database.cached("UPDATE blobs SET stored = 1 WHERE id = ?").run([.integer(existing.id)])
            }
            try database.cached("DELETE FROM blobs WHERE id = ?").run([.integer(provisionalID)])
            return .stored(blobID: existing.id, hash: hash, size: size)
        }
        try database.cached("UPDATE blobs SET sha256 = ?, size = ? WHERE id = ?")
            .run([.blob(hash.bytes), .integer(size), .integer(provisionalID)])
        return .stored(blobID: provisionalID, hash: hash, size: size)
    }

    func existingBlob(_ hash: ContentHash) throws -> (id: Int64, stored: Bool)? {
        try database.cached("SELECT id, stored FROM blobs WHERE sha256 = ?").firstRow([.blob(hash.bytes)]) {
            ($0.int64(0), $0.int64(1) != 0)
        }
    }

    func insertBlob(hash: [UInt8], size: Int64, stored: Bool) throws -> Int64 {
        try database.cached("INSERT INTO blobs (sha256, size, stored) VALUES (?, ?, ?)")
            .run([.blob(hash), .integer(size), .integer(stored ? 1 : 0)])
        return database.lastInsertedRowID
    }

    func insertChunk(blobID: Int64, seq: Int64, _ bytes: Slice<UnsafeRawBufferPointer>) throws {
        let (encoding, data) = BlobCompression.encode(UnsafeRawBufferPointer(rebasing: bytes))
        try insertChunk(
            blobID: blobID, seq: seq, EncodedChunk(encoding: encoding, bytes: data, length: bytes.count))
    }

    func insertChunk(blobID: Int64, seq: Int64, _ chunk: EncodedChunk) throws {
        try database.cached(
            "INSERT INTO blob_chunks (blob_id, seq, encoding, length, data) VALUES (?, ?, ?, ?, ?)"
        )
        .run([
            .integer(blobID), .integer(seq), .integer(chunk.encoding.rawValue), .integer(Int64(chunk.length)),
            .blob(chunk.bytes),
        ])
    }

    /// Calls `body` with each decoded chunk of the blob, in order, trusting no size field.
    ///
    /// A damaged or hostile database can claim any length. Before a byte is decoded or a buffer is
    /// sized, each chunk is checked against what a chunk can be (at most ``chunkSize`` bytes decoded,
    /// at most the compression bound stored, numbered 0, 1, 2, … with only the last one short) and the
    /// running total against `declaredSize`, so memory stays below two chunks whatever the fields say.
    /// Throws ``SnapshotStoreError/blobDamaged(hash:reason:)`` naming the first thing that is wrong;
    /// the caller checks the SHA-256.
    func forEachChunk(
        blobID: Int64, declaredSize: Int64, hashForErrors: ContentHash, _ body: ([UInt8]) throws -> Void
    ) throws {
        func damaged(_ reason: String) -> SnapshotStoreError {
            SnapshotStoreError.blobDamaged(hash: hashForErrors.hex, reason: reason)
        }
        let statement = try database.cached(
            """
            SELECT seq, encoding, length, length(data), CASE WHEN length(data) <= ? THEN data END
            FROM blob_chunks WHERE blob_id = ? ORDER BY seq
            """)
        var expectedSeq: Int64 = 0
        var total: Int64 = 0
        var previousWasShort = false
        try statement.forEachRow([
            .integer(Int64(BlobCompression.maximumStoredChunkLength)), .integer(blobID),
        ]) {
            row in
            let seq = row.int64(0)
            let length = row.int64(2)
            guard seq == expectedSeq else {
                throw damaged("chunk \(expectedSeq) is missing or out of order (found chunk \(seq))")
            }
            guard !previousWasShort else { throw damaged("chunk \(seq) follows a short last chunk") }
            guard length >= 1, length <= Int64(Self.chunkSize) else {
                throw damaged("chunk \(seq) claims \(length) bytes; a chunk holds 1 to \(Self.chunkSize)")
            }
            guard !row.isNull(4) else {
                throw damaged("chunk \(seq) stores \(row.int64(3)) bytes, more than any chunk can")
            }
            total += length
            guard total <= declaredSize else {
                throw damaged("its chunks hold more than its recorded size of \(declaredSize) bytes")
            }
            guard
                let bytes = BlobCompression.decode(
                    row.blob(4), encoding: row.int64(1), originalLength: Int(length))
            else {
                throw damaged("chunk \(seq) does not decode to its recorded length")
            }
            previousWasShort = length < Int64(Self.chunkSize)
            expectedSeq += 1
            try body(bytes)
        }
        guard total == declaredSize else {
            throw damaged("its chunks hold \(total) bytes, its recorded size is \(declaredSize)")
        }
    }

    /// The whole content of a blob, checked against its hash. Memory grows with the real data
    /// only; callers that may meet big files stream with ``forEachChunk(blobID:declaredSize:hashForErrors:_:)``.
    func contents(blobID: Int64, declaredSize: Int64, hash: ContentHash) throws -> [UInt8] {
        var result: [UInt8] = []
        var hasher = SHA256()
        try forEachChunk(blobID: blobID, declaredSize: declaredSize, hashForErrors: hash) { chunk in
            hasher.update(data: chunk)
            result += chunk
        }
        guard Array(hasher.finalize()) == hash.bytes else {
            throw SnapshotStoreError.blobDamaged(
                hash: hash.hex, reason: "its content no longer matches its SHA-256")
        }
        return result
    }

    /// Streams a blob through SHA-256 without keeping it: `nil` when it is intact, else what is wrong.
    func damage(blobID: Int64, declaredSize: Int64, hash: ContentHash) throws -> String? {
        var hasher = SHA256()
        do {
            try forEachChunk(blobID: blobID, declaredSize: declaredSize, hashForErrors: hash) {
                hasher.update(data: $0)
            }
        } catch SnapshotStoreError.blobDamaged(_, let reason) {
            return reason
        }
        return Array(hasher.finalize()) == hash.bytes ? nil : "its content no longer matches its SHA-256"
    }
}
