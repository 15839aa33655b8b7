import CZstd

/// Turns the tar stream into a zstd stream made of independent frames, so content the store
/// already compressed goes out as stored, never compressed a second time.
///
/// A zstd stream may hold any number of frames one after another; decoding it gives their
/// contents in order (`zstd -d`, `tar --zstd`). Tar headers and padding are gathered and
/// compressed together; a stored zstd chunk is copied as it is; content the store kept raw
/// (random keys, tiny files) goes in frames of raw blocks, which cost no CPU.
final class ZstdFrameSink: ByteSink {
    private let next: ByteSink
    private var pending: [UInt8] = []
    private let context: OpaquePointer
    private var output: [UInt8] = []
    /// zstd's largest block; raw blocks are cut to it.
    private static let maximumBlockSize = 128 * 1024
    /// Headers are compressed once this much has gathered (one frame per batch).
    private static let batchSize = 256 * 1024
    static let level: Int32 = 3

    init(next: ByteSink) {
        self.next = next
        context = ZSTD_createCCtx()
        pending.reserveCapacity(Self.batchSize)
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Bytes to compress (tar headers, padding, small content).
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        pending.append(contentsOf: bytes)
        if pending.count >= Self.batchSize { try flushPending() }
    }

    /// A complete zstd frame whose content comes next in the stream.
    func writeFrame(_ frame: [UInt8]) throws {
        try flushPending()
        try next.write(frame)
    }

    /// Content that does not compress, in a frame of raw blocks.
    func writeUncompressed(_ content: [UInt8]) throws {
        try flushPending()
        try next.write(Self.rawFrame(content))
    }

    func finish() throws {
        try flushPending()
        try next.finish()
    }

    private func flushPending() throws {
        guard !pending.isEmpty else { return }
        let bound = ZSTD_compressBound(pending.count)
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        let written = output.withUnsafeMutableBytes { out in
            pending.withUnsafeBytes { input in
                ZSTD_compressCCtx(
                    context, out.baseAddress, out.count, input.baseAddress, input.count, Self.level)
            }
        }
        guard ZSTD_isError(written) == 0 else {
            throw BackupError.archive(
                operation: "compress", message: String(cString: ZSTD_getErrorName(written)))
        }
        try output.withUnsafeBytes { try next.write(UnsafeRawBufferPointer(rebasing: $0[..<written])) }
        pending.removeAll(keepingCapacity: true)
    }

    /// A zstd frame (RFC 8878) holding `content` in raw blocks: the magic number, a header
    /// saying "single segment, 8-byte content size", then blocks of at most 128 KiB.
    static func rawFrame(_ content: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0xE0]
        var size = UInt64(content.count)
        for _ in 0..<8 {
            frame.append(UInt8(truncatingIfNeeded: size))
            size >>= 8
        }
        frame.reserveCapacity(frame.count + content.count + 3 * (content.count / maximumBlockSize + 1))
        var offset = 0
        repeat {
            let length = min(maximumBlockSize, content.count - offset)
            let last: UInt32 = offset + length == content.count ? 1 : 0
            let header = last | (0 << 1) | UInt32(length) << 3  // block type 0: raw
            frame += [UInt8(header & 0xff), UInt8((header >> 8) & 0xff), UInt8((header >> 16) & 0xff)]
            frame += content[offset..<(offset + length)]
            offset += length
        } while offset < content.count
        return frame
    }
}
