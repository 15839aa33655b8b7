import FileSystem
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

/// One event read from an inotify descriptor: which watch, what happened, and to which name in the
/// watched directory (empty for the directory itself).
struct InotifyEvent: Equatable, Sendable {
    let watch: Int32
    let mask: UInt32
    let cookie: UInt32
    let name: String

    func has(_ flag: Int32) -> Bool { mask & UInt32(bitPattern: flag) != 0 }
    var isDirectory: Bool { has(IN_ISDIR) }
}

/// One inotify instance (`inotify_init1(IN_NONBLOCK | IN_CLOEXEC)`), closed when released, which
/// drops all its watches at once.
///
/// Not thread-safe: used from the daemon's serial queue only.
final class InotifyInstance {
    let descriptor: Int32
    private let addWatch: InotifyAddWatch
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Fails with the errno of `inotify_init1` (`EMFILE`: `fs.inotify.max_user_instances` reached).
    init(addWatch: @escaping InotifyAddWatch) throws(ErrnoCode) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw ErrnoCode(errno) }
        self.descriptor = descriptor
        self.addWatch = addWatch
    }

    deinit { close(descriptor) }

    /// Adds (or updates) the watch on `path`; the watch descriptor, or the errno.
    func add(_ path: String, mask: UInt32) -> Result<Int32, ErrnoCode> {
        let (watch, code) = addWatch(descriptor, path, mask)
        return watch >= 0 ? .success(watch) : .failure(ErrnoCode(code))
    }

    func remove(_ watch: Int32) {
        _ = inotify_rm_watch(descriptor, watch)
    }

    /// The events queued now (the descriptor is non-blocking): empty when there is none. At most
    /// `maximumReads` buffers (about 2,000 events each) per call, so a writer that never stops
    /// cannot keep the daemon's queue in this loop: the read source fires again for the rest.
    func readAvailable(maximumReads: Int = 16) -> [InotifyEvent] {
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
    static func parse(_ bytes: ArraySlice<UInt8>, into events: inout [InotifyEvent]) {
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
