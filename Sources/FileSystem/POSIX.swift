import Glibc

/// The few operating-system calls every module needs, written once: errno text, writing a whole
/// buffer through short writes and `EINTR`, reading a whole descriptor, UTC timestamps.
///
/// kms-drift is built and tested on Linux only; this module is where the C library is imported.
package enum POSIX {
    /// The meaning of an errno value, e.g. "No such file or directory".
    package static func errorText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// Writes all of `bytes` to `descriptor`, retrying short writes and `EINTR`.
    /// Returns 0, or the errno that stopped it (`EPIPE` for a closed pipe).
    @discardableResult
    package static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return 0
    }

    /// Writes all of `bytes`; see ``writeAll(_:_:)-(_,UnsafeRawBufferPointer)``.
    @discardableResult
    package static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { writeAll(descriptor, $0) }
    }

    /// Reads until `buffer` is full or the end of the file, retrying `EINTR`.
    /// Returns how many bytes were read, and 0 or the errno that stopped it.
    package static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer)
        -> (count: Int, errno: Int32)
    {
        var filled = 0
        while filled < buffer.count {
            let result = read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            if result < 0 {
                if errno == EINTR { continue }
                return (filled, errno)
            }
            if result == 0 { break }
            filled += result
        }
        return (filled, 0)
    }

    /// Seconds since the epoch on the wall clock.
    package static func wallClockSeconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }

    /// `2026-11-25T09:30:00Z` (or with `separator: " "`, `2026-11-25 09:30:00Z`): UTC, to the
    /// second, sortable.
    package static func utcTimestamp(seconds: Int64, separator: String = "T") -> String {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        func two(_ number: Int32) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))\(separator)"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// Seconds since the epoch of a UTC date and time (`timegm`; out-of-range fields are
    /// normalised, as `timegm` does).
    package static func epochSeconds(
        utcYear year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    ) -> Int64 {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Int64(timegm(&parts))
    }

    /// Ends the process with `status` at once (no cleanup beyond the C library's).
    package static func exitProcess(_ status: Int32) -> Never {
        exit(status)
    }

    /// This machine's host name.
    package static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An errno value as an error, for callers to word in their own terms.
package struct ErrnoCode: Error, Sendable, Equatable, CustomStringConvertible {
    package let value: Int32
    package init(_ value: Int32) { self.value = value }

    /// `ENOENT`: the path does not exist.
    package var isNotFound: Bool { value == ENOENT }

    /// `EACCES` or `EPERM`: another user's file or process, or a capability missing.
    package var isPermissionDenied: Bool { value == EACCES || value == EPERM }

    /// `ENOSPC`: no space left (for inotify: the watch limit is reached).
    package static let noSpace = ErrnoCode(ENOSPC)
    /// `ENOMEM`: the kernel could not allocate (for inotify: as good as the watch limit).
    package static let noMemory = ErrnoCode(ENOMEM)
    /// `EMFILE`: too many open descriptors (for inotify: the instance limit is reached).
    package static let tooManyOpenFiles = ErrnoCode(EMFILE)

    package var description: String { POSIX.errorText(value) }
}
