import FileSystem

/// sd_notify(3) without libsystemd: one datagram per message to `$NOTIFY_SOCKET`, a file
/// system path or an abstract socket written `@name`. Failures are ignored, as sd_notify's
/// callers do: a lost STATUS must not stop the daemon (the watchdog will notice a dead one).
package final class SystemdNotifier: Sendable {
    /// The socket address as given in `NOTIFY_SOCKET`.
    package let address: String
    /// Half of `WATCHDOG_USEC` when systemd expects watchdog pings from this process.
    package let watchdogInterval: Duration?
    private let socket: UnixDatagramSocket

    /// The notifier systemd asked for, or `nil` outside a `Type=notify` service.
    package static func fromEnvironment() -> SystemdNotifier? {
        guard let address = ProcessEnvironment.value(of: "NOTIFY_SOCKET"), !address.isEmpty else {
            return nil
        }
        var watchdog: Duration? = nil
        if let usecText = ProcessEnvironment.value(of: "WATCHDOG_USEC"), let usec = Int64(usecText), usec > 0
        {
            let pidText = ProcessEnvironment.value(of: "WATCHDOG_PID")
            if pidText == nil || pidText == String(ProcessEnvironment.processID) {
                watchdog = .microseconds(usec / 2)
            }
        }
        return SystemdNotifier(address: address, watchdogInterval: watchdog)
    }

    package init?(address: String, watchdogInterval: Duration? = nil) {
        guard address.hasPrefix("/") || address.hasPrefix("@"),
            address.utf8.count <= UnixDatagramSocket.maximumAddressLength,
            let socket = UnixDatagramSocket()
        else { return nil }
        self.address = address
        self.watchdogInterval = watchdogInterval
        self.socket = socket
    }

    /// Sends `READY=1`, `STATUS=…`, `WATCHDOG=1`, `STOPPING=1` or several, newline-separated.
    /// Never blocks: a receiver whose queue is full loses a STATUS rather than stall the loop.
    @discardableResult
    package func notify(_ message: String) -> Bool {
        socket.send(Array(message.utf8), to: address)
    }
}
