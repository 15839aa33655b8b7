import CArchive

/// One entry of a tar archive as libarchive read it.
struct TarEntry {
    var path: [UInt8]
    /// `carchive_regular`, `carchive_directory`, `carchive_symlink`, or another type.
    var type: UInt32
    var mode: UInt32
    var owner: Int64
    var group: Int64
    var size: Int64
    var symlinkTarget: [UInt8]?
    var isHardLink: Bool
}

/// Reads a tar archive through libarchive (the tar formats only: ustar, pax, GNU), pulling its
/// bytes from a ``ByteSource``.
final class TarReader {
    private let api: CArchiveAPI
    private let archive: OpaquePointer
    private let source: ByteSource
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var failure: Error?
    let name: String

    init(source: ByteSource, name: String) throws {
        api = try ArchiveLibrary.api()
        guard let archive = api.archive_read_new() else {
            throw BackupError.archive(operation: "start reading", message: "out of memory")
        }
        self.archive = archive
        self.source = source
        self.name = name
        _ = api.archive_read_support_format_tar(archive)
        let opened = api.archive_read_open(
            archive, Unmanaged.passUnretained(self).toOpaque(), nil,
            { _, client, pointer in
                let reader = Unmanaged<TarReader>.fromOpaque(client!).takeUnretainedValue()
                return reader.supply(pointer)
            }, nil)
        try check(opened, "open \(name)")
    }

    deinit {
        _ = api.archive_read_free(archive)
    }

    private func supply(_ pointer: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
        do {
            let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            buffer.withUnsafeBytes { pointer?.pointee = $0.baseAddress }
            return count
        } catch {
            failure = error
            return -1
        }
    }

    private func check(_ code: Int32, _ operation: String) throws {
        if let failure { throw failure }
        guard code == carchive_ok || code == carchive_warn else {
            throw BackupError.damaged(
                path: name, reason: "cannot \(operation): \(archiveMessage(api, archive))")
        }
    }

    /// The next entry's header, or `nil` at the end of the archive.
    func next() throws -> TarEntry? {
        var entry: OpaquePointer? = nil
        let code = api.archive_read_next_header(archive, &entry)
        if let failure { throw failure }
        if code == carchive_eof { return nil }
        try check(code, "read the next header")
        guard let entry, let path = api.archive_entry_pathname(entry) else {
            throw BackupError.damaged(path: name, reason: "an entry has no name")
        }
        return TarEntry(
            path: Array(String.bytes(cString: path)), type: api.archive_entry_filetype(entry),
            mode: UInt32(api.archive_entry_perm(entry)), owner: api.archive_entry_uid(entry),
            group: api.archive_entry_gid(entry),
            size: api.archive_entry_size_is_set(entry) != 0 ? api.archive_entry_size(entry) : 0,
            symlinkTarget: api.archive_entry_symlink(entry).map { Array(String.bytes(cString: $0)) },
            isHardLink: api.archive_entry_hardlink(entry) != nil)
    }

    /// Reads the current entry's data; 0 at its end.
    func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = api.archive_read_data(archive, buffer.baseAddress, buffer.count)
        if let failure { throw failure }
        guard count >= 0 else {
            throw BackupError.damaged(
                path: name, reason: "cannot read an entry: \(archiveMessage(api, archive))")
        }
        return count
    }

    /// After the end of the archive: reads what is left of the input, so decryption checks its
    /// final chunk and decompression its last frame, and refuses anything but tar's zero padding,
    /// of at most `maximumTrailingBytes` (never gigabytes of zeros read through).
    func drain(maximumTrailingBytes: Int) throws {
        var rest = [UInt8](repeating: 0, count: 16 * 1024)
        var total = 0
        while true {
            let count = try rest.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { return }
            guard rest[..<count].allSatisfy({ $0 == 0 }) else {
                throw BackupError.damaged(path: name, reason: "data follows the end of the tar archive")
            }
            total += count
            guard total <= maximumTrailingBytes else {
                throw BackupError.damaged(
                    path: name,
                    reason: "more than \(maximumTrailingBytes) bytes follow the end of the tar archive "
                        + "(tar pads with at most one 10 KiB record)")
            }
        }
    }
}

extension String {
    /// The bytes of a C string, without its NUL.
    static func bytes(cString: UnsafePointer<CChar>) -> UnsafeBufferPointer<UInt8> {
        let bytes = UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self)
        var count = 0
        while bytes[count] != 0 { count += 1 }
        return UnsafeBufferPointer(start: bytes, count: count)
    }
}
