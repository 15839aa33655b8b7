/// One stored chunk of a file's content as the store holds it: for an export that passes
/// zstd-compressed chunks through unchanged instead of compressing the same bytes again.
package struct StoredChunk {
    /// The chunk's bytes as stored: a complete zstd frame when `isZstdFrame`, else the content.
    package let stored: [UInt8]
    /// The decoded content (the same array as `stored` for a raw chunk).
    package let content: [UInt8]
    package let isZstdFrame: Bool
}

extension SnapshotStore {
    /// Streams stored content chunk by chunk as stored and decoded. `body` sees the chunks before
    /// the content's SHA-256 is checked: the caller hashes `content` and must discard what it
    /// produced when the hash does not match.
    package func forEachStoredChunk(of hash: ContentHash, _ body: (StoredChunk) throws -> Void) throws {
        guard
            let blobID = try database.cached("SELECT id FROM blobs WHERE sha256 = ? AND stored = 1")
                .firstRow([.blob(hash.bytes)], { $0.int64(0) })
        else { throw SnapshotStoreError.blobNotFound(hash: hash.hex) }
        let statement = try database.cached(
            "SELECT encoding, length, data FROM blob_chunks WHERE blob_id = ? ORDER BY seq")
        try statement.forEachRow([.integer(blobID)]) { row in
            let stored = row.blob(2)
            let encoding = row.int64(0)
            guard
                let content = BlobCompression.decode(
                    stored, encoding: encoding, originalLength: Int(row.int64(1)))
            else { throw SnapshotStoreError.blobDamaged(hash: hash.hex, reason: "a chunk does not decode") }
            try body(
                StoredChunk(
                    stored: stored, content: content, isZstdFrame: encoding == ChunkEncoding.zstd.rawValue))
        }
    }

    /// Runs `body` in one read transaction, so an export sees one consistent snapshot even
    /// while the daemon writes the next one.
    package func withReadTransaction<T>(_ body: () throws -> T) throws -> T {
        try database.readTransaction(body)
    }
}
