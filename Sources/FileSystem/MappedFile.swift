import Glibc

/// A file read into anonymous memory of its own, so that a parser can hand back the pages it
/// has finished with while the parsed tree grows: comparing two 20 MB files then needs room for
/// the two trees, not for the trees and both inputs.
package enum MappedFile {
    /// Reads `path` and calls `body` with its bytes and a function that releases the first `n`
    /// bytes (rounded down to whole pages). The memory is unmapped when `body` returns.
    /// The file must be a regular file of at most `maximumSize` bytes (see ``InputFile``). A failure
    /// to open or read is thrown as ``InputFileError``; `body`'s own errors pass through.
    package static func withContents<T, Failure: Error>(
        of path: String, maximumSize: Int64 = InputFile.defaultMaximumSize,
        _ body: (UnsafeBufferPointer<UInt8>, @escaping (Int) -> Void) throws(Failure) -> T
    ) throws -> T {
        let (descriptor, size) = try InputFile.open(rawPath: Array(path.utf8), maximumSize: maximumSize)
        defer { close(descriptor) }
        let capacity = max(Int(size), 1)
        guard let base = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            base != MAP_FAILED
        else { throw ErrnoCode(errno) }
        defer { munmap(base, capacity) }
        // The file may have changed size since fstat: read what fits, and no more.
        let (length, code) = POSIX.readFully(
            descriptor, into: UnsafeMutableRawBufferPointer(start: base, count: capacity))
        if code != 0 { throw ErrnoCode(code) }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let release: (Int) -> Void = { consumed in
            let whole = min(consumed, length) / pageSize * pageSize
            if whole > 0 { madvise(base, whole, MADV_DONTNEED) }
        }
        let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: length)
        return try body(bytes, release)
    }
}
