import CZstd

/// One stored chunk of a file's content as the store holds it: for an export that passes
/// zstd-compressed chunks through unchanged instead of compressing the same bytes again.
package struct StoredChunk: Sendable {
    /// The chunk's bytes as stored: a complete zstd frame when `isZstdFrame`, else the content.
    package let stored: [UInt8]
    /// How many bytes of content the chunk holds.
    package let length: Int
    package let isZstdFrame: Bool
}

/// Decodes stored chunks with one reusable zstd context (creating one per chunk costs more
/// than decoding a small file). Not thread-safe: one per thread.
package final class ChunkDecoder {
    private let context: OpaquePointer

    package init() { context = ZSTD_createDCtx() }

    deinit { ZSTD_freeDCtx(context) }

    private var buffer: [UInt8] = []

    /// Calls `body` with the chunk's content, decoded into a buffer this decoder reuses (no
    /// allocation per chunk), or returns `nil` when it does not decode to its recorded length.
    package func withContent<T>(of chunk: StoredChunk, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows
        -> T?
    {
        guard chunk.isZstdFrame else {
            guard chunk.stored.count == chunk.length else { return nil }
            return try chunk.stored.withUnsafeBytes(body)
        }
        if buffer.count < chunk.length { buffer = [UInt8](repeating: 0, count: max(chunk.length, 64 * 1024)) }
        let written = buffer.withUnsafeMutableBytes { out in
            chunk.stored.withUnsafeBytes { input in
                ZSTD_decompressDCtx(context, out.baseAddress, chunk.length, input.baseAddress, input.count)
            }
        }
        guard ZSTD_isError(written) == 0, written == chunk.length else { return nil }
        return try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<chunk.length])) }
    }

    /// The chunk's content, or `nil` when it does not decode to its recorded length.
    package func content(of chunk: StoredChunk) -> [UInt8]? {
        guard chunk.isZstdFrame else { return chunk.stored.count == chunk.length ? chunk.stored : nil }
        var output = [UInt8](repeating: 0, count: chunk.length)
        let written = output.withUnsafeMutableBytes { out in
            chunk.stored.withUnsafeBytes { input in
                ZSTD_decompressDCtx(context, out.baseAddress, out.count, input.baseAddress, input.count)
            }
        }
        guard ZSTD_isError(written) == 0, written == chunk.length else { return nil }
        return output
    }
}

extension SnapshotStore {
    /// Streams stored content chunk by chunk as stored, undecoded and unchecked: the caller
    /// decodes and hashes (see ``ChunkDecoder``) and must discard what it produced when the
    /// hash does not match.
    package func forEachStoredChunk(of hash: ContentHash, _ body: (StoredChunk) throws -> Void) throws {
        guard
            let blobID = try database.cached("SELECT id FROM blobs WHERE sha256 = ? AND stored = 1")
                .firstRow([.blob(hash.bytes)], { $0.int64(0) })
        else { throw SnapshotStoreError.blobNotFound(hash: hash.hex) }
        let statement = try database.cached(
            "SELECT encoding, length, data FROM blob_chunks WHERE blob_id = ? ORDER BY seq")
        try statement.forEachRow([.integer(blobID)]) { row in
            let encoding = row.int64(0)
            let length = row.int64(1)
            guard length >= 0, length <= Int64(BlobStore.chunkSize),
                encoding == ChunkEncoding.zstd.rawValue || encoding == ChunkEncoding.raw.rawValue
            else {
                throw SnapshotStoreError.blobDamaged(
                    hash: hash.hex, reason: "a chunk has an impossible length or encoding")
            }
            try body(
                StoredChunk(
                    stored: row.blob(2), length: Int(length),
                    isZstdFrame: encoding == ChunkEncoding.zstd.rawValue))
        }
    }

    /// Runs `body` in one read transaction, so an export sees one consistent snapshot even
    /// while the daemon writes the next one; reads go through a memory map of the database (no
    /// system call per page), which is most of what reading every stored file costs otherwise.
    package func withReadTransaction<T>(_ body: () throws -> T) throws -> T {
        try database.execute("PRAGMA mmap_size = 1073741824")
        defer { _ = try? database.execute("PRAGMA mmap_size = 0") }
        return try database.readTransaction(body)
    }
}
