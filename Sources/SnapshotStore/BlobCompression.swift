import CZstd
import Synchronization

/// How a stored chunk's bytes are encoded.
///
/// New chunks are compressed with zstd, through a system-library target (`CZstd`, the system
/// `libzstd`, which every Debian already has for dpkg; `libzstd-dev` adds the header): no package
/// to build, and on the 10,000-file benchmark tree it is both smaller and faster than zlib at any
/// level, which is what lets the history stay no larger than git's `.git` while the first
/// snapshot stays faster than `git commit`.
/// A chunk is kept compressed only when that saves at least 10 %; otherwise (random binary, key
/// material, already-compressed files) it is stored raw, so reading it back costs nothing.
enum ChunkEncoding: Int64 {
    case raw = 0
    // 1 was zlib in development builds before zstd; no released store holds it, and a chunk
    // marked 1 now reads as damaged.
    case zstd = 2
}

enum BlobCompression {
    /// zstd level 3. Measured on the 10,000-file benchmark tree (first snapshot, then the database
    /// after 11 snapshots): zlib 4 took 4.2 s for 136.5 MiB; zstd 3 2.1 s for 132.3 MiB; zstd 9
    /// 4.6 s for the same 132.3 MiB (that text is random hex: no level finds more in it).
    static let level: Int32 = 3
    /// Bytes of a chunk compressed first to tell incompressible data apart cheaply.
    static let probeLength = 4096

    /// The bytes to store for `chunk` and how they are encoded.
    static func encode(_ chunk: UnsafeRawBufferPointer) -> (ChunkEncoding, [UInt8]) {
        guard chunk.count >= 64 else { return (.raw, Array(chunk)) }
        // Random data does not shrink: find out on a small probe before paying for the whole chunk.
        if chunk.count > probeLength * 2 {
            let probe = UnsafeRawBufferPointer(rebasing: chunk[..<probeLength])
            if let compressed = compress(probe, level: 1), compressed.count * 10 > probe.count * 9 {
                return (.raw, Array(chunk))
            }
        }
        if let compressed = compress(chunk, level: level), compressed.count * 10 <= chunk.count * 9 {
            return (.zstd, compressed)
        }
        return (.raw, Array(chunk))
    }

    /// The most bytes a stored chunk can take: zstd's bound for a full chunk (a raw chunk is
    /// smaller). A longer stored value is damage, and is never loaded.
    static let maximumStoredChunkLength = ZSTD_compressBound(BlobStore.chunkSize)

    /// The original bytes of a stored chunk, or `nil` when the stream is damaged or has the wrong length.
    /// `originalLength` comes from the database: outside 0…``BlobStore/chunkSize`` it is damage, and no
    /// buffer of that size is ever allocated.
    static func decode(_ stored: [UInt8], encoding: Int64, originalLength: Int) -> [UInt8]? {
        guard originalLength >= 0, originalLength <= BlobStore.chunkSize,
            stored.count <= maximumStoredChunkLength
        else { return nil }
        switch ChunkEncoding(rawValue: encoding) {
        case .raw:
            return stored.count == originalLength ? stored : nil
        case .zstd:
            var output = [UInt8](repeating: 0, count: originalLength)
            let written = output.withUnsafeMutableBytes { out in
                stored.withUnsafeBytes { input in
                    ZSTD_decompress(out.baseAddress, out.count, input.baseAddress, input.count)
                }
            }
            guard ZSTD_isError(written) == 0, written == originalLength else { return nil }
            return output
        case nil:
            return nil
        }
    }

    private static func compress(_ input: UnsafeRawBufferPointer, level: Int32) -> [UInt8]? {
        let context = CompressionContext.take(level: level)
        defer { context?.giveBack() }
        var failed = false
        // Not zero-filled first: zstd writes every byte it reports, and only those are kept.
        let output = [UInt8](unsafeUninitializedCapacity: ZSTD_compressBound(input.count)) {
            out, initialized in
            let written =
                if let context {
                    ZSTD_compressCCtx(
                        context.pointer, out.baseAddress, out.count, input.baseAddress, input.count, level)
                } else {
                    ZSTD_compress(out.baseAddress, out.count, input.baseAddress, input.count, level)
                }
            failed = ZSTD_isError(written) != 0
            initialized = failed ? 0 : written
        }
        return failed ? nil : output
    }
}

/// A zstd compression context kept for the next chunk at the same level: `ZSTD_compress` allocates
/// and clears one (a few hundred KiB of tables at level 3) for every chunk, which for ten thousand
/// small files costs more than some of the compressing. Chunks are compressed on several threads at
/// once (``ContentPipeline``), so idle contexts wait in a pool, one per thread that needed one.
private final class CompressionContext: @unchecked Sendable {
    // Unchecked: a context is used by one thread at a time, the one that took it from the pool,
    // until it gives it back; the pool itself is behind a mutex.
    let pointer: OpaquePointer
    let level: Int32

    private static let idle = Mutex<[Int32: [CompressionContext]]>([:])

    private init?(level: Int32) {
        guard let pointer = ZSTD_createCCtx() else { return nil }
        self.pointer = pointer
        self.level = level
    }

    deinit { ZSTD_freeCCtx(pointer) }

    /// An idle context last used at `level`, or a new one; `nil` when zstd cannot allocate one.
    static func take(level: Int32) -> CompressionContext? {
        idle.withLock { $0[level]?.popLast() } ?? CompressionContext(level: level)
    }

    func giveBack() {
        Self.idle.withLock { $0[level, default: []].append(self) }
    }
}
