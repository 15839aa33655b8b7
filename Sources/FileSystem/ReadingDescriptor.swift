import Glibc

/// A file opened for reading as a stream (an export, which may also be a pipe or a FIFO given
/// as a path): no type or size check, unlike ``InputFile``; closed when released.
package final class ReadingDescriptor {
    package let descriptor: Int32
    private let owned: Bool

    /// Opens `path` (close-on-exec, blocking).
    package convenience init(path: String) throws(ErrnoCode) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ErrnoCode(errno) }
        self.init(descriptor: descriptor, owned: true)
    }

    /// Standard input, which is never closed.
    package static func standardInput() -> ReadingDescriptor {
        ReadingDescriptor(descriptor: StandardStream.input.descriptor, owned: false)
    }

    private init(descriptor: Int32, owned: Bool) {
        self.descriptor = descriptor
        self.owned = owned
    }

    deinit { if owned { close(descriptor) } }
}
