import Glibc

/// Why an input file was not read: the system said no, it is not a regular file, or it is larger
/// than the limit on what kms-drift reads.
package enum InputFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case system(ErrnoCode)
    /// A FIFO, device, socket or directory: reading one can block forever or never end.
    case notRegular(kind: String)
    /// Larger than `limit` bytes, as `fstat` said.
    case tooLarge(size: Int64, limit: Int64)
    /// It gave well over the size `fstat` said: kernel-generated (procfs says 0) or growing.
    case grewWhileRead(statedSize: Int64)
    /// It lives on a kernel pseudo file system (procfs, sysfs, …): generated on read, never a
    /// configuration an operator edits, and a read may not end.
    case pseudoFile(fileSystem: String)

    package var description: String {
        switch self {
        case .system(let code): return code.description
        case .notRegular(let kind):
            return "it is \(kind), not a regular file; kms-drift reads only regular files"
        case .tooLarge(let size, let limit):
            return
                "it is larger (\(ByteCountText.text(size))) than the limit of \(ByteCountText.text(limit)) on "
                + "files kms-drift reads; raise it with --max-size if this file is really a configuration"
        case .grewWhileRead(let size):
            return
                "it gave more bytes than its size (\(ByteCountText.text(size))) while it was read: a file the "
                + "kernel generates (/proc, /sys) or one still being written, so it was not read"
        case .pseudoFile(let fileSystem):
            return
                "it is on \(fileSystem), a kernel pseudo file system whose files are generated as they are read; "
                + "kms-drift reads only real files — copy it first (`cat FILE > copy.toml`) if you mean to"
        }
    }
}

/// Opens files given by people (command-line arguments, the configuration file) the safe way:
/// without blocking (a FIFO would otherwise hang the open), following a symlink given on the
/// command line, refusing anything that is not a regular file, and never reading more than a
/// limit, whatever the file claims (`/proc` files say they are empty and never end).
package enum InputFile {
    /// What `check`, `validate`, `consistency`, `fingerprint` and the configuration reader accept
    /// unless told otherwise: far above any real configuration, far below what hurts a node.
    package static let defaultMaximumSize: Int64 = 64 << 20

    /// Opens `rawPath` for reading and checks it is a regular file no larger than `maximumSize`,
    /// not on a kernel pseudo file system unless `allowingPseudoFileSystem` (kms-drift's own reads
    /// of `/proc/PID/…` and `/proc/sys/…`). Returns the descriptor (close-on-exec, blocking again)
    /// and the size `fstat` gave.
    package static func open(rawPath: [UInt8], maximumSize: Int64, allowingPseudoFileSystem: Bool = false)
        throws(InputFileError) -> (Int32, Int64)
    {
        let descriptor = RawPath.withCString(rawPath) { Glibc.open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard descriptor >= 0 else { throw .system(ErrnoCode(errno)) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw .system(ErrnoCode(code))
        }
        if !allowingPseudoFileSystem, let name = PseudoFileSystem.name(of: descriptor) {
            close(descriptor)
            throw .pseudoFile(fileSystem: name)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            if status.st_mode & S_IFMT == S_IFDIR { throw .system(ErrnoCode(EISDIR)) }
            throw .notRegular(kind: kindText(status.st_mode & S_IFMT))
        }
        guard Int64(status.st_size) <= maximumSize else {
            close(descriptor)
            throw .tooLarge(size: Int64(status.st_size), limit: maximumSize)
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return (descriptor, Int64(status.st_size))
    }

    /// What a file may give beyond the size `fstat` said before it is taken for a generated or
    /// growing file (an editor saving it meanwhile adds a little).
    static let growthAllowance: Int64 = 1 << 20

    /// The whole file at `rawPath`, at most `maximumSize` bytes (see ``open(rawPath:maximumSize:)``).
    package static func read(rawPath: [UInt8], maximumSize: Int64, allowingPseudoFileSystem: Bool = false)
        throws(InputFileError) -> [UInt8]
    {
        let (descriptor, size) = try open(
            rawPath: rawPath, maximumSize: maximumSize, allowingPseudoFileSystem: allowingPseudoFileSystem)
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(size) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let (count, code) = chunk.withUnsafeMutableBytes { POSIX.readFully(descriptor, into: $0) }
            if code != 0 { throw .system(ErrnoCode(code)) }
            bytes.append(contentsOf: chunk[0..<count])
            // A file that says it is small may still never end (procfs): stop soon after its size.
            if Int64(bytes.count) > min(maximumSize, size + growthAllowance) {
                if Int64(bytes.count) > maximumSize {
                    throw .tooLarge(size: Int64(bytes.count), limit: maximumSize)
                }
                throw .grewWhileRead(statedSize: size)
            }
            if count < chunk.count { break }
        }
        return bytes
    }

    static func kindText(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

}
