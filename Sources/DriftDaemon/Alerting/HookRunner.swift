import FileSystem
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
///   SIGTERM for its Dispatch source; ignored signals survive exec). That is about 150 lines; the
///   system calls themselves are FileSystem's (`ChildProcess`, `OutputPipe`, `UnlinkedInputFile`).
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
        let inputFile: UnlinkedInputFile
        do {
            inputFile = try UnlinkedInputFile(input, in: temporaryDirectory, namePrefix: "kms-drift-hook-")
        } catch {
            throw .cannotCreateInput(directory: temporaryDirectory, reason: error.description)
        }
        let output: OutputPipe
        do {
            output = try OutputPipe()
        } catch {
            throw .cannotSpawn(program: program, reason: error.description)
        }

        let started = ContinuousClock.now
        let pid: Int32
        do {
            pid = try ChildProcess.spawn(
                command, environment: Self.environment(adding: environment),
                standardInput: inputFile.descriptor, output: output.writeEnd)
        } catch {
            throw .cannotSpawn(program: program, reason: error.description)
        }
        output.closeWriteEnd()
        Self.running.withLock { _ = $0.insert(pid) }
        defer { Self.running.withLock { _ = $0.remove(pid) } }

        var collected = OutputTail(limit: outputLimit)
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var status: Int32 = 0
        var timedOut = false
        var killDeadline: ContinuousClock.Instant? = nil
        let deadline = started + timeout
        while true {
            if ChildProcess.hasExited(pid) {
                // The leader is a zombie, so its id cannot be reused: kill what is left of its
                // group (background children), then reap it.
                ChildProcess.signalGroup(pid, ChildProcess.killSignal)
                status = ChildProcess.reap(pid)
                break
            }
            let now = ContinuousClock.now
            if !timedOut, now >= deadline {
                timedOut = true
                ChildProcess.signalGroup(pid, ChildProcess.terminateSignal)
                killDeadline = now + gracePeriod
            } else if let hard = killDeadline, now >= hard {
                ChildProcess.signalGroup(pid, ChildProcess.killSignal)
                killDeadline = nil
            }
            // Wait for output or for a short tick, whichever comes first; a closed pipe (EOF)
            // leaves only the tick, so an exited hook is noticed within a few milliseconds.
            if output.waitReadable(milliseconds: output.readEndOpen ? 50 : 5) {
                let count = output.read(into: &buffer)
                if count > 0 { collected.append(buffer.prefix(count)) }
            }
        }
        // What the hook wrote just before exiting is still in the pipe: take what is there now
        // (non-blocking, so a child it left running with the pipe open cannot hold us).
        while output.readEndOpen {
            let count = output.read(into: &buffer)
            guard count > 0 else { break }
            collected.append(buffer.prefix(count))
        }
        let duration = ContinuousClock.now - started

        let termination: HookResult.Termination
        if timedOut {
            termination = .timedOut
        } else {
            switch ChildProcess.Status(status) {
            case .exited(let code): termination = .exited(code)
            case .signalled(let signal): termination = .signalled(signal)
            }
        }
        return HookResult(
            termination: termination, duration: duration,
            output: String(decoding: collected.bytes, as: UTF8.self))
    }

    /// The process groups of hooks running now, in any runner of this process.
    private static let running = Mutex<Set<Int32>>([])

    /// Kills the process group of every hook running now (the daemon is stopping). Their runners
    /// then reap them and return as for a hook that was killed.
    package static func killRunningHooks() {
        for pid in running.withLock({ $0 }) { ChildProcess.signalGroup(pid, ChildProcess.killSignal) }
    }

    /// The daemon's environment without systemd's per-service variables (a hook must not be
    /// able to notify or feed the watchdog on the daemon's behalf), plus `extra`.
    static func environment(adding extra: [String: String]) -> [String] {
        let private_ = [
            "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
        ]
        var result: [String] = []
        for entry in ProcessEnvironment.entries() {
            let text = String(decoding: entry, as: UTF8.self)
            let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if !private_.contains(name), extra[name] == nil { result.append(text) }
        }
        for (name, value) in extra.sorted(by: { $0.key < $1.key }) { result.append("\(name)=\(value)") }
        return result
    }

    static func defaultTemporaryDirectory() -> String {
        if let value = ProcessEnvironment.value(of: "TMPDIR"), !value.isEmpty { return value }
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
