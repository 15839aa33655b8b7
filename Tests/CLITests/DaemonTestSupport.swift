import Foundation
import TestSupport

/// A `kms-drift daemon` started from the built binary, with a notify socket the test binds
/// (as systemd does) and its stderr collected so the test can read it at any time.
final class DaemonProcess {
    let process: RunningProcess
    let notify: NotifySocket
    private(set) var statuses: [String] = []
    private(set) var messages: [String] = []

    /// - Parameter launcher: a command that runs the daemon's argv (e.g. in a user namespace); its
    ///   process must `exec` the daemon, so that signals reach it.
    init(arguments: [String], in directory: URL, environment: [String: String] = [:], launcher: [String] = [])
        throws
    {
        notify = try NotifySocket(path: directory.appendingPathComponent("notify.sock").path)
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = notify.path
        env.removeValue(forKey: "JOURNAL_STREAM")
        env.merge(environment) { _, new in new }
        let argv = launcher + [CLI.binary.path, "daemon"] + arguments
        process = try RunningProcess(argv[0], Array(argv.dropFirst()), environment: env)
    }

    deinit {
        if process.isRunning {
            process.signal(SIGTERM)
            _ = try? process.wait(timeout: 15)
        }
    }

    var stderr: String { process.stderrSoFar }

    /// Reads notifications until one satisfies `predicate`; nil at the deadline.
    @discardableResult
    func waitForNotification(timeout: Double = 15, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let message = notify.receive(timeout: 0.2) else {
                if !process.isRunning { return nil }
                continue
            }
            messages.append(message)
            if predicate(message) { return message }
        }
        return nil
    }

    /// Waits for the status of a cycle numbered at least `cycle`; returns that number.
    func waitForCycle(atLeast cycle: Int, timeout: Double = 15) -> Int? {
        var reached: Int? = nil
        waitForNotification(timeout: timeout) { message in
            guard let number = Self.cycleNumber(in: message), number >= cycle else { return false }
            reached = number
            return true
        }
        return reached
    }

    static func cycleNumber(in message: String) -> Int? {
        guard let range = message.range(of: "STATUS=cycle ") else { return nil }
        return Int(message[range.upperBound...].prefix { $0.isNumber })
    }

    func signal(_ number: Int32) { process.signal(number) }

    /// The exit status after SIGTERM, or nil if it did not exit in time.
    func waitForExit(timeout: Double = 15) -> Int32? {
        process.waitForExit(timeout: timeout)?.status
    }

    /// Resident set size in KiB, from /proc/PID/status.
    var residentKiB: Int? {
        guard
            let text = try? String(
                contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(whereSeparator: \.isWhitespace)[1])
    }
}

/// A bound Unix datagram socket standing in for systemd's `$NOTIFY_SOCKET`.
final class NotifySocket {
    let path: String
    let descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
        var size: Int32 = 1 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(descriptor) }

    func receive(timeout: Double) -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count < 0 ? nil : String(decoding: buffer.prefix(count), as: UTF8.self)
    }
}

/// Polls `condition` until it holds or the deadline passes.

/// The 13 party configs of a production network in kms-server's format, from the shared generator.
func writePartyDirectory(_ directory: URL, parties: Int = 13) throws {
    for party in 1...parties {
        let config = try WorkloadGenerator.run(["party", "--party", "\(party)", "--style", "server"])
        try writeFile(config.standardOutput, to: directory.appendingPathComponent("party\(party).toml"))
    }
}
