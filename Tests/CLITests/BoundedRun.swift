import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The built binary run with a deadline, its peak memory measured by the kernel (`wait4`), and its
/// output in files: what a test needs to show that a command neither crashes, hangs nor balloons.
struct BoundedRun {
    /// The exit status, or `nil` when the process was killed by a signal (a crash) or the deadline.
    let status: Int32?
    /// The signal that ended it (SIGKILL when the deadline passed).
    let signal: Int32?
    let timedOut: Bool
    /// Peak resident set size in KiB.
    let peakKiB: Int
    let stdout: String
    let stderr: String
    let seconds: Double

    static func run(_ arguments: [String], timeout: Double = 10) throws -> BoundedRun {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outPath = directory.appendingPathComponent("out").path
        let errPath = directory.appendingPathComponent("err").path
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
        let spawned = posix_spawn(&pid, CLI.binary.path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        while true {
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
            status: exited ? (status >> 8) & 0xff : nil, signal: exited ? nil : status & 0x7f, timedOut: timedOut,
            peakKiB: usage.ru_maxrss,
            stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
            stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self),
            seconds: Date().timeIntervalSince(started))
    }
}
