import FileSystem
import Glibc

/// sd_notify(3) without libsystemd: one datagram per message to `$NOTIFY_SOCKET`, a file
/// system path or an abstract socket written `@name`. Failures are ignored, as sd_notify's
/// callers do: a lost STATUS must not stop the daemon (the watchdog will notice a dead one).
package final class SystemdNotifier: Sendable {
    /// The socket address as given in `NOTIFY_SOCKET`.
    package let address: String
    /// Half of `WATCHDOG_USEC` when systemd expects watchdog pings from this process.
    package let watchdogInterval: Duration?
    private let descriptor: Int32

    /// The notifier systemd asked for, or `nil` outside a `Type=notify` service.
    package static func fromEnvironment() -> SystemdNotifier? {
        guard let raw = getenv("NOTIFY_SOCKET"), raw.pointee != 0 else { return nil }
        var watchdog: Duration? = nil
        if let usecText = getenv("WATCHDOG_USEC"), let usec = Int64(String(cString: usecText)), usec > 0 {
            let pidText = getenv("WATCHDOG_PID").map { String(cString: $0) }
            if pidText == nil || pidText == String(getpid()) {
                watchdog = .microseconds(usec / 2)
            }
        }
        return SystemdNotifier(address: String(cString: raw), watchdogInterval: watchdog)
    }

    package init?(address: String, watchdogInterval: Duration? = nil) {
        guard address.hasPrefix("/") || address.hasPrefix("@"), address.utf8.count < 108 else { return nil }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        self.address = address
        self.watchdogInterval = watchdogInterval
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Sends `READY=1`, `STATUS=…`, `WATCHDOG=1`, `STOPPING=1` or several, newline-separated.
    /// Never blocks: a receiver whose queue is full loses a STATUS rather than stall the loop.
    @discardableResult
    package func notify(_ message: String) -> Bool {
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        var path = Array(address.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }  // abstract namespace
        let length = MemoryLayout<sa_family_t>.size + path.count
        withUnsafeMutableBytes(of: &storage.sun_path) { buffer in
            for (index, byte) in path.enumerated() { buffer[index] = byte }
        }
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bytes.withUnsafeBytes {
                    sendto(
                        descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT),
                        address, socklen_t(length))
                }
            }
        }
        return sent == bytes.count
    }
}
