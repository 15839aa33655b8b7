import Glibc

/// `inotify_add_watch` as a value: the daemon uses the system call; a test injects one that fails
/// with `ENOSPC` after a few watches, which is what a full `fs.inotify.max_user_watches` looks like.
/// Returns the watch descriptor, or -1 with the reason in `errno` set by the function itself.
package typealias InotifyAddWatch =
    @Sendable (_ instance: Int32, _ path: String, _ mask: UInt32) -> (
        watch: Int32, errno: Int32
    )

/// The real `inotify_add_watch(2)`.
package let systemInotifyAddWatch: InotifyAddWatch = { instance, path, mask in
    let watch = inotify_add_watch(instance, path, mask)
    return (watch, watch < 0 ? errno : 0)
}

/// The inotify event bits kms-drift asks for and reads (`inotify(7)`), named.
package enum InotifyMask {
    package static let modify = UInt32(IN_MODIFY)
    package static let attributes = UInt32(IN_ATTRIB)
    package static let closeWrite = UInt32(IN_CLOSE_WRITE)
    package static let create = UInt32(IN_CREATE)
    package static let delete = UInt32(IN_DELETE)
    package static let movedFrom = UInt32(IN_MOVED_FROM)
    package static let movedTo = UInt32(IN_MOVED_TO)
    package static let deleteSelf = UInt32(IN_DELETE_SELF)
    package static let moveSelf = UInt32(IN_MOVE_SELF)
    /// Watch only if the path is a directory.
    package static let onlyDirectory = UInt32(IN_ONLYDIR)
    /// Do not follow a symlink at the path.
    package static let doNotFollow = UInt32(IN_DONT_FOLLOW)
    /// Events were lost: the queue overflowed.
    package static let queueOverflow = UInt32(IN_Q_OVERFLOW)
    /// The watch was removed (explicitly, or its directory is gone).
    package static let ignored = UInt32(IN_IGNORED)
    /// The subject of the event is a directory.
    package static let isDirectory = UInt32(IN_ISDIR)
}

/// One event read from an inotify descriptor: which watch, what happened, and to which name in the
/// watched directory (empty for the directory itself).
package struct InotifyEvent: Equatable, Sendable {
    package let watch: Int32
    package let mask: UInt32
    package let cookie: UInt32
    package let name: String

    package init(watch: Int32, mask: UInt32, cookie: UInt32, name: String) {
        self.watch = watch
        self.mask = mask
        self.cookie = cookie
        self.name = name
    }

    /// Whether `flag` (an ``InotifyMask`` bit) is set.
    package func has(_ flag: UInt32) -> Bool { mask & flag != 0 }
    package var isDirectory: Bool { has(InotifyMask.isDirectory) }
}

/// One inotify instance (`inotify_init1(IN_NONBLOCK | IN_CLOEXEC)`), closed when released, which
/// drops all its watches at once.
///
/// Not thread-safe: used from the daemon's serial queue only.
package final class InotifyInstance {
    package let descriptor: Int32
    private let addWatch: InotifyAddWatch
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Fails with the errno of `inotify_init1` (`EMFILE`: `fs.inotify.max_user_instances` reached).
    package init(addWatch: @escaping InotifyAddWatch) throws(ErrnoCode) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw ErrnoCode(errno) }
        self.descriptor = descriptor
        self.addWatch = addWatch
    }

    deinit { close(descriptor) }

    /// Adds (or updates) the watch on `path`; the watch descriptor, or the errno.
    package func add(_ path: String, mask: UInt32) -> Result<Int32, ErrnoCode> {
        let (watch, code) = addWatch(descriptor, path, mask)
        return watch >= 0 ? .success(watch) : .failure(ErrnoCode(code))
    }

    package func remove(_ watch: Int32) {
        _ = inotify_rm_watch(descriptor, watch)
    }

    /// The events queued now (the descriptor is non-blocking): empty when there is none. At most
    /// `maximumReads` buffers (about 2,000 events each) per call, so a writer that never stops
    /// cannot keep the daemon's queue in this loop: the read source fires again for the rest.
    package func readAvailable(maximumReads: Int = 16) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        for _ in 0..<maximumReads {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 {
                if count < 0 && errno == EINTR { continue }
                return events  // EAGAIN: drained (no other error is possible on a valid descriptor)
            }
            Self.parse(buffer[..<count], into: &events)
        }
        return events
    }

    /// Splits a `read(2)` result into events: a 16-byte header (wd, mask, cookie, len) and `len`
    /// bytes of NUL-padded name.
    package static func parse(_ bytes: ArraySlice<UInt8>, into events: inout [InotifyEvent]) {
        let header = MemoryLayout<inotify_event>.size
        var offset = bytes.startIndex
        while offset + header <= bytes.endIndex {
            func word(_ at: Int) -> UInt32 {
                UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
                    | UInt32(bytes[at + 3]) << 24
            }
            let length = Int(word(offset + 12))
            let nameStart = offset + header
            let nameEnd = min(nameStart + length, bytes.endIndex)
            let nameBytes = bytes[nameStart..<nameEnd].prefix { $0 != 0 }
            events.append(
                InotifyEvent(
                    watch: Int32(bitPattern: word(offset)), mask: word(offset + 4), cookie: word(offset + 8),
                    name: String(decoding: nameBytes, as: UTF8.self)))
            offset = nameStart + length
        }
    }
}
