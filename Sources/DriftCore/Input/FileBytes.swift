#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads whole files with POSIX calls so that a failure names the path and the errno meaning
/// ("Permission denied", "Is a directory") instead of a generic Foundation error.
public enum FileBytes {
    /// The bytes of the file at `path`.
    public static func read(_ path: String) throws(DriftCoreError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: errnoDescription()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .unreadable(path: path, reason: errnoDescription())
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw .unreadable(path: path, reason: String(cString: strerror(EISDIR)))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(Int(status.st_size), 0) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: errnoDescription())
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// The size of the file at `path` in bytes, or 0 when it cannot be examined (reading it
    /// will then report why).
    public static func size(of path: String) -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else { return 0 }
        return Int(status.st_size)
    }

    /// The meaning of the current `errno`, e.g. "No such file or directory".
    public static func errnoDescription(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}
