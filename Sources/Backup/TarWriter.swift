import CArchive
import SnapshotStore

/// Writes a POSIX tar through libarchive (pax interchange format, "restricted": a pax extended
/// header only where ustar cannot say it — a long name, a large size or id), into a sink.
///
/// With a ``ZstdFrameSink`` the content of files goes out as the store keeps it (zstd frames
/// passed through, raw chunks in raw frames) while libarchive still writes every header, the
/// padding and the end-of-archive blocks: the writer routes what libarchive hands its write
/// callback, and checks that libarchive passed on exactly the content it was given.
final class TarWriter {
    private let api: CArchiveAPI
    private let archive: OpaquePointer
    private let entry: OpaquePointer
    private let sink: ByteSink
    private let frames: ZstdFrameSink?
    /// What the write callback does with the bytes libarchive hands it now.
    private enum Route { case forward, swallow }
    private var route = Route.forward
    private var swallowed = 0
    private var failure: Error?
    /// Content below this size is compressed with the headers around it rather than framed alone.
    private static let smallContent = 4096

    init(sink: ByteSink, frames: ZstdFrameSink?) throws {
        api = try ArchiveLibrary.api()
        guard let archive = api.archive_write_new(), let entry = api.archive_entry_new() else {
            throw BackupError.archive(operation: "start an archive", message: "out of memory")
        }
        self.archive = archive
        self.entry = entry
        self.sink = sink
        self.frames = frames
        try check(api.archive_write_set_format_pax_restricted(archive), "choose the pax format")
        // Unblocked: every byte goes to the callback as soon as libarchive has it, nothing is
        // padded to 10 KiB records (tar readers need only the two end-of-archive blocks).
        try check(api.archive_write_set_bytes_per_block(archive, 0), "set the block size")
        try check(api.archive_write_set_bytes_in_last_block(archive, 1), "set the last block size")
        let opened = api.archive_write_open(
            archive, Unmanaged.passUnretained(self).toOpaque(), nil,
            { _, client, buffer, length in
                let writer = Unmanaged<TarWriter>.fromOpaque(client!).takeUnretainedValue()
                return writer.accept(UnsafeRawBufferPointer(start: buffer, count: length))
            }, nil)
        try check(opened, "open the output")
    }

    deinit {
        api.archive_entry_free(entry)
        _ = api.archive_write_free(archive)
    }

    private func accept(_ bytes: UnsafeRawBufferPointer) -> Int {
        switch route {
        case .swallow:
            swallowed += bytes.count
        case .forward:
            do {
                try sink.write(bytes)
            } catch {
                failure = error
                return -1
            }
        }
        return bytes.count
    }

    private func check(_ code: Int32, _ operation: String) throws {
        if let failure { throw failure }
        guard code == carchive_ok || code == carchive_warn else {
            throw BackupError.archive(operation: operation, message: archiveMessage(api, archive))
        }
    }

    /// Starts an entry: a header for a regular file of `size` bytes, a directory or a symlink.
    func begin(
        path: [UInt8], type: UInt32, mode: UInt32, owner: UInt32, group: UInt32,
        modificationTimeNanoseconds: Int64,
        size: Int64, symlinkTarget: [UInt8]? = nil
    ) throws {
        _ = api.archive_entry_clear(entry)
        withCString(path) { api.archive_entry_set_pathname(entry, $0) }
        api.archive_entry_set_filetype(entry, type)
        api.archive_entry_set_perm(entry, mode_t(mode & 0o7777))
        api.archive_entry_set_uid(entry, la_int64_t(owner))
        api.archive_entry_set_gid(entry, la_int64_t(group))
        let seconds =
            modificationTimeNanoseconds >= 0
            ? modificationTimeNanoseconds / 1_000_000_000
            : (modificationTimeNanoseconds - 999_999_999) / 1_000_000_000
        api.archive_entry_set_mtime(
            entry, time_t(seconds), Int(modificationTimeNanoseconds - seconds * 1_000_000_000))
        api.archive_entry_set_size(entry, la_int64_t(size))
        if let symlinkTarget { withCString(symlinkTarget) { api.archive_entry_set_symlink(entry, $0) } }
        route = .forward
        try check(api.archive_write_header(archive, entry), "write the header of \(PathText.display(path))")
    }

    /// Writes the next piece of the current file's content. A zstd chunk needs no decoding:
    /// its frame goes out as stored, and libarchive, which only counts content here, is handed
    /// zeros of the same length.
    func writeContent(_ chunk: StoredChunk) throws {
        guard let frames else {
            if chunk.isZstdFrame {
                guard let content = decoder.content(of: chunk) else {
                    throw BackupError.archive(
                        operation: "decode stored content", message: "a chunk does not decode")
                }
                try writeData(content)
            } else {
                try writeData(chunk.stored)
            }
            return
        }
        if !chunk.isZstdFrame && chunk.length < Self.smallContent {
            try writeData(chunk.stored)  // compressed with the headers around it
            return
        }
        if chunk.isZstdFrame {
            try frames.writeFrame(chunk.stored)
        } else {
            try frames.writeUncompressed(chunk.stored)
        }
        route = .swallow
        swallowed = 0
        defer { route = .forward }
        if zeros.count < chunk.length { zeros = [UInt8](repeating: 0, count: chunk.length) }
        let written = zeros.withUnsafeBytes { api.archive_write_data(archive, $0.baseAddress, chunk.length) }
        if let failure { throw failure }
        guard written == chunk.length, swallowed == chunk.length else {
            throw BackupError.archive(
                operation: "write content",
                message: "libarchive passed on \(swallowed) of \(chunk.length) bytes")
        }
    }

    /// What libarchive is handed for content that goes out as stored frames.
    private var zeros: [UInt8] = []
    private let decoder = ChunkDecoder()

    private func writeData(_ bytes: [UInt8]) throws {
        let written = bytes.withUnsafeBytes { api.archive_write_data(archive, $0.baseAddress, $0.count) }
        if let failure { throw failure }
        guard written == bytes.count else {
            throw BackupError.archive(operation: "write content", message: archiveMessage(api, archive))
        }
    }

    /// Writes a whole small entry's content (the manifest).
    func writeContent(_ bytes: [UInt8]) throws {
        try writeData(bytes)
    }

    /// Ends the current entry (libarchive pads it to 512 bytes).
    func end() throws {
        route = .forward
        try check(api.archive_write_finish_entry(archive), "finish an entry")
    }

    /// Writes the end-of-archive blocks and finishes the sink.
    func close() throws {
        route = .forward
        try check(api.archive_write_close(archive), "close the archive")
        try sink.finish()
    }
}

/// A path's bytes as a NUL-terminated C string.
func withCString<T>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
    var terminated = bytes
    terminated.append(0)
    return try terminated.withUnsafeBufferPointer { buffer in
        try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
    }
}

/// How a path's bytes are shown in messages: as text, invalid UTF-8 escaped as `\xHH`.
enum PathText {
    static func display(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var result = ""
        for byte in bytes {
            if byte < 0x80, byte >= 0x20 {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "\\x" + String(byte, radix: 16).leftPadded(2)
            }
        }
        return result
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
