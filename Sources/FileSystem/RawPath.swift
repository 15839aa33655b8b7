import Glibc

/// File-system paths as bytes: a name need not be UTF-8 (see `PathName`), so every system call
/// on a recorded path gets the bytes its key stands for, never a `String`'s re-encoding.
package enum RawPath {
    /// `root/relativeKey` as bytes.
    package static func join(_ root: String, _ relativeKey: String) -> [UInt8] {
        Array(root.utf8) + [UInt8(ascii: "/")] + PathName.bytes(relativeKey)
    }

    /// Calls `body` with `bytes` as a NUL-terminated C string.
    /// (On the stack when short: it runs once per file of a walk.)
    package static func withCString<T>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) throws -> T) rethrows
        -> T
    {
        try withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            bytes.withUnsafeBufferPointer { source in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                raw.copyMemory(from: UnsafeRawBufferPointer(source))
                raw[bytes.count] = 0
            }
            return try body(buffer.baseAddress!)
        }
    }
}
