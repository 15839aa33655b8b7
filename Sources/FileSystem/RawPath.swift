import Glibc

/// File-system paths as bytes: a name need not be UTF-8 (see `PathName`), so every system call
/// on a recorded path gets the bytes its key stands for, never a `String`'s re-encoding.
public enum RawPath {
    /// `root/relativeKey` as bytes.
    public static func join(_ root: String, _ relativeKey: String) -> [UInt8] {
        Array(root.utf8) + [UInt8(ascii: "/")] + PathName.bytes(relativeKey)
    }

    /// Calls `body` with `bytes` as a NUL-terminated C string.
    public static func withCString<T>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        var terminated = bytes
        terminated.append(0)
        return try terminated.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }
}
