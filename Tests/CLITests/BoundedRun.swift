import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The built binary run with a deadline, its peak memory measured by the kernel (`VmHWM`), and its
/// output in files: what a test needs to show that a command neither crashes, hangs nor balloons.
struct BoundedRun {
    /// The exit status, or `nil` when the process was killed by a signal (a crash) or the deadline.
    let status: Int32?
    /// The signal that ended it (SIGKILL when the deadline passed).
    let signal: Int32?
    let timedOut: Bool
    /// Peak resident set size in KiB, as last seen in `/proc/<pid>/status` (`VmHWM`) while it ran.
    let peakKiB: Int
    let stdout: String
    let stderr: String
    let seconds: Double

    /// `VmHWM` of `pid` once it runs kms-drift (before its exec the child is still this process).
    private static func highWaterKiB(of pid: pid_t) -> Int? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/status") else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard lines.contains(where: { $0.hasPrefix("Name:") && $0.hasSuffix("kms-drift") }),
            let line = lines.first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Int(line.split(whereSeparator: \.isWhitespace)[1])
    }

    static func run(_ arguments: [String], timeout: Double = 10) throws -> BoundedRun {
        try withTemporaryDirectory { directory in try run(arguments, timeout: timeout, outputIn: directory) }
    }

    private static func run(_ arguments: [String], timeout: Double, outputIn directory: TemporaryDirectory)
        throws
        -> BoundedRun
    {
        let outPath = directory.path("out")
        let errPath = directory.path("err")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([CLI.binary.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let started = Date()
        // The environment the other CLI tests give (never the machine's installed configuration).
        let environment = CLI.environment().map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environment.forEach { free($0) } }
        let spawned = posix_spawn(&pid, CLI.binary.path, &actions, nil, argv, environment)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        var peakKiB = 0
        while true {
            // The kernel's high-water mark of the running command. Not wait4's ru_maxrss: a child
            // made by posix_spawn shares this (large) test process's memory until it execs, and
            // that counts in its maximum.
            if let highWater = Self.highWaterKiB(of: pid) { peakKiB = max(peakKiB, highWater) }
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { break }
            if Date().timeIntervalSince(started) > timeout && !timedOut {
                timedOut = true
                kill(pid, SIGKILL)
            }
            usleep(2_000)
        }
        let exited = status & 0x7f == 0
        return BoundedRun(
            status: exited ? (status >> 8) & 0xff : nil, signal: exited ? nil : status & 0x7f,
            timedOut: timedOut,
            peakKiB: peakKiB,
            stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
            stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self),
            seconds: Date().timeIntervalSince(started))
    }
}
