import Glibc

/// Whole-file reads and the small `stat` questions DriftCore asks, with failures as errno codes
/// for the caller to word.
public enum FileContents {
    /// The bytes of the file at `path` (`EISDIR` for a directory).
    public static func read(_ path: String) throws(ErrnoCode) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ErrnoCode(errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ErrnoCode(errno) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw ErrnoCode(EISDIR) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(Int(status.st_size), 0) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let (count, code) = chunk.withUnsafeMutableBytes { POSIX.readFully(descriptor, into: $0) }
            if code != 0 { throw ErrnoCode(code) }
            bytes.append(contentsOf: chunk[0..<count])
            if count < chunk.count { break }
        }
        return bytes
    }

    /// The size of the file at `path` (links followed), or `nil` when it cannot be examined.
    public static func size(of path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int(status.st_size)
    }

    /// Whether `path` (links followed) is a directory; `ENOENT` and other failures are thrown.
    public static func isDirectory(_ path: String) throws(ErrnoCode) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { throw ErrnoCode(errno) }
        return (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// The target of the symlink at `path`.
    public static func linkTarget(_ path: String) throws(ErrnoCode) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: pointer.count) {
                readlink(path, $0, pointer.count - 1)
            }
        }
        guard length >= 0 else { throw ErrnoCode(errno) }
        return String(decoding: buffer[0..<length], as: UTF8.self)
    }
}
