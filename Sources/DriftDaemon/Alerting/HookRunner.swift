import FileSystem
import Glibc
import Synchronization

/// Runs one hook command: argv (never a shell), input from a private temporary file, the last
/// bytes of its output kept, a timeout enforced with SIGTERM then SIGKILL on the hook's process
/// group, and that group killed when the hook ends, so nothing it started in the background
/// (`( sleep 1000 & )`) outlives it. A child that leaves the group (`setsid`) is out of reach here:
/// the unit's `KillMode=control-group` ends it with the service.
///
/// Why a small `posix_spawn` runner instead of swift-subprocess 1.0.2. Not build time: a clean
/// debug build of a package that only imports Subprocess (and swift-system) took 8 s wall,
/// 12 s CPU on this 2-core machine, a small share of CI. The reasons are fit and control:
/// - its API is `async`; the daemon is a Dispatch serial queue that would have to block on a
///   semaphore for every hook, mixing two concurrency models around the SQLite owner;
/// - it can kill the *parent* when a child exits without reading a large stdin pipe (upstream
///   issue #367); a temporary file avoids that, but so does owning the four syscalls here;
/// - the daemon needs a process-group kill (a hook's own children die with it on timeout), a
///   bounded capture of stdout/stderr (drained, so a chatty hook never blocks, and capped, so it
///   never fills memory), and signal dispositions reset in the child (the daemon ignores
///   SIGTERM for its Dispatch source; ignored signals survive exec). That is about 150 lines.
///
/// Blocking: `run` returns when the hook has exited or been killed; call it from the daemon's queue.
package struct HookRunner: Sendable {
    /// How long a hook gets between SIGTERM and SIGKILL once its timeout has passed.
    package var gracePeriod: Duration
    /// How much of the end of the hook's stdout and stderr is kept for the log (its last line is
    /// what the log shows); the rest is read and dropped, so a hook that writes a lot never blocks
    /// on a full pipe nor fills the daemon's memory.
    package var outputLimit: Int
    /// Where the input file is created; `$TMPDIR` or `/tmp` by default (private under systemd).
    package var temporaryDirectory: String

    package init(
        gracePeriod: Duration = .seconds(5), outputLimit: Int = 4096, temporaryDirectory: String? = nil
    ) {
        self.gracePeriod = gracePeriod
        self.outputLimit = outputLimit
        self.temporaryDirectory = temporaryDirectory ?? Self.defaultTemporaryDirectory()
        HookCapabilities.withholdFromChildren()
    }

    /// Runs `command` with `input` on stdin and `environment` added to (and overriding) the
    /// daemon's own environment, minus systemd's notification variables.
    package func run(
        command: [String], environment: [String: String], input: [UInt8], timeout: Duration
    ) throws(HookError) -> HookResult {
        guard let program = command.first, !program.isEmpty else { throw .emptyCommand }
        let inputDescriptor = try makeInputFile(input)
        defer { close(inputDescriptor) }

        var outputPipe: [Int32] = [-1, -1]
        // Close-on-exec: only the dup2'd copies reach the hook (pipe2 is not in Swift's Glibc).
        guard pipe(&outputPipe) == 0 else { throw .cannotSpawn(program: program, reason: POSIX.errorText()) }
        for end in outputPipe { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let readEnd = outputPipe[0]
        var readEndOpen = true
        defer { if readEndOpen { close(readEnd) } }

        let started = ContinuousClock.now
        let pid: pid_t
        do {
            pid = try spawn(command, environment: environment, stdin: inputDescriptor, output: outputPipe[1])
        } catch {
            close(outputPipe[1])
            throw error
        }
        close(outputPipe[1])
        Self.running.withLock { _ = $0.insert(pid) }
        defer { Self.running.withLock { _ = $0.remove(pid) } }
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)

        var collected = OutputTail(limit: outputLimit)
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var status: Int32 = 0
        var timedOut = false
        var killDeadline: ContinuousClock.Instant? = nil
        let deadline = started + timeout
        while true {
            if Self.hasExited(pid) {
                // The leader is a zombie, so its id cannot be reused: kill what is left of its
                // group (background children), then reap it.
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                break
            }
            let now = ContinuousClock.now
            if !timedOut, now >= deadline {
                timedOut = true
                kill(-pid, SIGTERM)
                killDeadline = now + gracePeriod
            } else if let hard = killDeadline, now >= hard {
                kill(-pid, SIGKILL)
                killDeadline = nil
            }
            // Wait for output or for a short tick, whichever comes first; a closed pipe (EOF)
            // leaves only the tick, so an exited hook is noticed within a few milliseconds.
            var descriptor = pollfd(fd: readEndOpen ? readEnd : -1, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, readEndOpen ? 50 : 5)
            if readEndOpen, descriptor.revents != 0 {
                let count = read(readEnd, &buffer, buffer.count)
                if count > 0 {
                    collected.append(buffer.prefix(count))
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    close(readEnd)
                    readEndOpen = false
                }
            }
        }
        // What the hook wrote just before exiting is still in the pipe: take what is there now
        // (non-blocking, so a child it left running with the pipe open cannot hold us).
        while readEndOpen {
            let count = read(readEnd, &buffer, buffer.count)
            guard count > 0 else { break }
            collected.append(buffer.prefix(count))
        }
        let duration = ContinuousClock.now - started

        let termination: HookResult.Termination
        if timedOut {
            termination = .timedOut
        } else if status & 0x7f == 0 {
            termination = .exited((status >> 8) & 0xff)
        } else {
            termination = .signalled(status & 0x7f)
        }
        return HookResult(
            termination: termination, duration: duration,
            output: String(decoding: collected.bytes, as: UTF8.self))
    }

    /// The process groups of hooks running now, in any runner of this process.
    private static let running = Mutex<Set<pid_t>>([])

    /// Kills the process group of every hook running now (the daemon is stopping). Their runners
    /// then reap them and return as for a hook that was killed.
    package static func killRunningHooks() {
        for pid in running.withLock({ $0 }) { kill(-pid, SIGKILL) }
    }

    /// True once `pid` has exited, without reaping it (`WNOWAIT`): its process group id stays
    /// reserved until it is reaped, so a group kill cannot reach an unrelated process.
    static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        if result < 0 { return errno != EINTR }  // ECHILD: nothing left to wait for
        return info._sifields._kill.si_pid == pid
    }

    /// The input as an already-unlinked 0600 file: nothing is left behind even if the daemon is
    /// killed, and the hook reads it at its own pace (or never) without any pipe to fill.
    private func makeInputFile(_ input: [UInt8]) throws(HookError) -> Int32 {
        var template = Array((temporaryDirectory + "/kms-drift-hook-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw .cannotCreateInput(directory: temporaryDirectory, reason: POSIX.errorText())
        }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        unlink(path)
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        fchmod(descriptor, 0o600)
        let code = POSIX.writeAll(descriptor, input)
        if code != 0 {
            close(descriptor)
            throw .cannotCreateInput(directory: temporaryDirectory, reason: POSIX.errorText(code))
        }
        lseek(descriptor, 0, SEEK_SET)
        return descriptor
    }

    private func spawn(_ command: [String], environment: [String: String], stdin: Int32, output: Int32)
        throws(HookError) -> pid_t
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The daemon ignores SIGTERM, SIGINT, SIGHUP and SIGPIPE (Dispatch sources handle them);
        // ignored signals survive exec, so restore the defaults or the timeout's SIGTERM is lost.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        // Its own process group, so a timeout kills the hook and anything it started.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let arguments = command.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        let environmentStrings = Self.environment(adding: environment).map { strdup($0) } + [nil]
        defer { for entry in environmentStrings { free(entry) } }

        var pid: pid_t = 0
        var result: Int32 = 0
        // ETXTBSY: the program is open for writing somewhere (being installed, or a descriptor
        // inherited by a process forked meanwhile); it clears within moments, so try again briefly.
        for attempt in 0..<50 {
            if attempt > 0 { usleep(20_000) }
            if command[0].contains("/") {
                result = posix_spawn(&pid, command[0], &actions, &attributes, arguments, environmentStrings)
            } else {
                result = posix_spawnp(&pid, command[0], &actions, &attributes, arguments, environmentStrings)
            }
            if result != ETXTBSY { break }
        }
        guard result == 0 else {
            throw .cannotSpawn(program: command[0], reason: POSIX.errorText(result))
        }
        return pid
    }

    /// The daemon's environment without systemd's per-service variables (a hook must not be
    /// able to notify or feed the watchdog on the daemon's behalf), plus `extra`.
    static func environment(adding extra: [String: String]) -> [String] {
        let private_ = [
            "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
        ]
        var result: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if !private_.contains(name), extra[name] == nil { result.append(text) }
            pointer += 1
        }
        for (name, value) in extra.sorted(by: { $0.key < $1.key }) { result.append("\(name)=\(value)") }
        return result
    }

    static func defaultTemporaryDirectory() -> String {
        if let value = getenv("TMPDIR"), value.pointee != 0 { return String(cString: value) }
        return "/tmp"
    }
}

/// How a hook run ended, for the log and the metrics.
package struct HookResult: Sendable {
    package enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// Killed after its timeout (SIGTERM, then SIGKILL after the grace period).
        case timedOut
    }

    package let termination: Termination
    package let duration: Duration
    /// The last bytes of stdout and stderr together (up to `HookRunner.outputLimit`).
    package let output: String

    package var succeeded: Bool { termination == .exited(0) }

    /// `0`, `1`, `signal 9`, `timeout`: the `status=` field of the log line.
    package var statusText: String {
        switch termination {
        case .exited(let code): return String(code)
        case .signalled(let signal): return "signal \(signal)"
        case .timedOut: return "timeout"
        }
    }
}

/// A hook that could not be started at all.
package enum HookError: Error, CustomStringConvertible, Sendable, Equatable {
    case emptyCommand
    case cannotCreateInput(directory: String, reason: String)
    case cannotSpawn(program: String, reason: String)

    package var description: String {
        switch self {
        case .emptyCommand:
            return "the hook's command is empty; give the program and its arguments"
        case .cannotCreateInput(let directory, let reason):
            return "cannot create the hook's input file in \(directory): \(reason)"
        case .cannotSpawn(let program, let reason):
            return "cannot start \(program): \(reason); check the path and that it is executable"
        }
    }
}

/// The last `limit` bytes of a stream, in memory bounded by twice the limit.
struct OutputTail {
    let limit: Int
    private var buffer: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        buffer.append(contentsOf: bytes.suffix(limit))
        if buffer.count > 2 * limit { buffer.removeFirst(buffer.count - limit) }
    }

    var bytes: [UInt8] { Array(buffer.suffix(limit)) }
}
