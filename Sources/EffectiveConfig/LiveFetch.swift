import FileSystem
import Glibc

/// Fetches what a running kms-server reports on `GET /config` by running the `kms-drift-live`
/// helper (installed beside `kms-drift`), which links the HTTP client so `kms-drift` does not:
/// every command of `kms-drift` starts without NIO and Foundation.
public struct LiveFetch: Sendable {
    public let url: String
    public let timeoutSeconds: Int64
    public let allowRemote: Bool
    /// The helper; by default `kms-drift-live` beside the running executable.
    public let helper: String

    public static let helperName = "kms-drift-live"

    public init(url: String, timeoutSeconds: Int64 = 5, allowRemote: Bool = false, helper: String? = nil) {
        self.url = url
        self.timeoutSeconds = timeoutSeconds
        self.allowRemote = allowRemote
        self.helper = helper ?? Self.defaultHelper()
    }

    /// `kms-drift-live` in the directory of this process's executable.
    public static func defaultHelper() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return helperName }
        let executable = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = executable.lastIndex(of: "/") else { return helperName }
        return String(executable[...slash]) + helperName
    }

    /// The body of `GET url`: the URL is checked against the loopback policy here, before the
    /// helper runs, and the helper gets a little longer than the timeout to report it.
    public func fetchBody() throws(EffectiveConfigError) -> [UInt8] {
        try LivePolicy.check(url, allowRemote: allowRemote)
        guard access(helper, X_OK) == 0 else {
            throw .live(
                url: url,
                reason:
                    "the helper \(helper) is missing (\(POSIX.errorText())); install kms-drift-live beside kms-drift "
                    + "(scripts/install does)")
        }
        var arguments = [url, "--timeout", String(timeoutSeconds)]
        if allowRemote { arguments.append("--allow-remote") }
        let result = try ChildProcess.run(helper, arguments, timeoutSeconds: timeoutSeconds + 5, url: url)
        guard result.exitStatus == 0 else {
            let message =
                String(decoding: result.standardError, as: UTF8.self)
                .split(separator: "\n").last.map(String.init) ?? "the helper failed"
            let prefix = "kms-drift-live: "
            throw .helper(message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message)
        }
        return result.standardOutput
    }

    /// The live configuration: fetched, then parsed (a JSON string holding the document, or the document).
    public func fetch() throws(EffectiveConfigError) -> EffectiveConfiguration {
        try LiveConfiguration.parse(try fetchBody(), source: url)
    }
}

/// Runs a program to its end with its output collected: `posix_spawn`, both pipes read as they
/// fill, and a deadline after which the child is killed.
enum ChildProcess {
    struct Result {
        /// The exit status, or -1 when a signal ended it.
        var exitStatus: Int32
        var standardOutput: [UInt8]
        var standardError: [UInt8]
    }

    static func run(_ program: String, _ arguments: [String], timeoutSeconds: Int64, url: String)
        throws(EffectiveConfigError) -> Result
    {
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        guard pipe(&output) == 0 else { throw .live(url: url, reason: "pipe: \(POSIX.errorText())") }
        guard pipe(&errors) == 0 else {
            close(output[0])
            close(output[1])
            throw .live(url: url, reason: "pipe: \(POSIX.errorText())")
        }
        // Close-on-exec, so no other child (a hook started meanwhile) inherits them; the dup2 of the
        // spawn gives the helper its own copies as stdout and stderr.
        for descriptor in output + errors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The daemon ignores SIGPIPE and handles SIGTERM itself; the helper starts with defaults.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        close(output[1])
        close(errors[1])
        guard spawned == 0 else {
            close(output[0])
            close(errors[0])
            throw .live(url: url, reason: "cannot start \(program): \(POSIX.errorText(spawned))")
        }
        var collected: [[UInt8]] = [[], []]
        var open = [output[0], errors[0]]
        let deadline = POSIX.wallClockSeconds() + timeoutSeconds
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var timedOut = false
        while open.contains(where: { $0 >= 0 }) {
            var descriptors = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&descriptors, 2, 200)
            if ready < 0 && errno != EINTR { break }
            for index in 0..<2 where open[index] >= 0 && descriptors[index].revents != 0 {
                let count = read(open[index], &buffer, buffer.count)
                if count > 0 {
                    collected[index].append(contentsOf: buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    close(open[index])
                    open[index] = -1
                }
            }
            if POSIX.wallClockSeconds() > deadline {
                timedOut = true
                kill(pid, SIGKILL)
                for descriptor in open where descriptor >= 0 { close(descriptor) }
                break
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if timedOut { throw .live(url: url, reason: "no answer within \(timeoutSeconds) s") }
        let exited = status & 0x7f == 0
        return Result(
            exitStatus: exited ? (status >> 8) & 0xff : -1, standardOutput: collected[0],
            standardError: collected[1])
    }
}
