import Glibc

/// The operating-system half of running a program: `posix_spawn` in a process group of its own
/// with signal dispositions reset, the group signalled, the leader watched without being reaped,
/// and its status collected. The policy (deadlines, grace periods, what to keep of the output)
/// belongs to the caller, such as the daemon's hook runner.
package enum ChildProcess {
    /// Signals a caller sends to a child's process group.
    package static let terminateSignal: Int32 = SIGTERM
    package static let killSignal: Int32 = SIGKILL

    /// Signals whose disposition the child gets back to the default: a daemon that ignores
    /// SIGTERM, SIGINT, SIGHUP and SIGPIPE (Dispatch sources handle them) passes the ignoring on
    /// through exec, and a child that ignores SIGTERM cannot be stopped on a timeout.
    static let resetSignals = [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2]

    /// Starts `command` (looked up on `PATH` when its first element has no `/`) with `environment`
    /// (`NAME=value` entries, nothing inherited), `standardInput` as descriptor 0 and `output` as
    /// both 1 and 2, in a new process group whose id is the returned pid, with the default action
    /// for ``resetSignals`` and no signal blocked. `ETXTBSY` (the program is open for writing
    /// somewhere: being installed, or a descriptor inherited by a process forked meanwhile) clears
    /// within moments, so it is tried again for up to a second.
    package static func spawn(
        _ command: [String], environment: [String], standardInput: Int32, output: Int32
    ) throws(ErrnoCode) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, standardInput, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in resetSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let arguments = command.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        let environmentStrings = environment.map { strdup($0) } + [nil]
        defer { for entry in environmentStrings { free(entry) } }

        var pid: pid_t = 0
        var result: Int32 = 0
        for attempt in 0..<50 {
            if attempt > 0 { usleep(20_000) }
            if command[0].contains("/") {
                result = posix_spawn(&pid, command[0], &actions, &attributes, arguments, environmentStrings)
            } else {
                result = posix_spawnp(&pid, command[0], &actions, &attributes, arguments, environmentStrings)
            }
            if result != ETXTBSY { break }
        }
        guard result == 0 else { throw ErrnoCode(result) }
        return pid
    }

    /// Sends `signal` to the process group led by `pid`.
    package static func signalGroup(_ pid: Int32, _ signal: Int32) {
        kill(-pid, signal)
    }

    /// True once `pid` has exited, without reaping it (`WNOWAIT`): its process group id stays
    /// reserved until it is reaped, so a group signal cannot reach an unrelated process.
    package static func hasExited(_ pid: Int32) -> Bool {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        if result < 0 { return errno != EINTR }  // ECHILD: nothing left to wait for
        return info._sifields._kill.si_pid == pid
    }

    /// Waits for `pid` and returns its raw wait status (see ``Status``).
    package static func reap(_ pid: Int32) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// A raw wait status read: how a child ended.
    package enum Status: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)

        package init(_ raw: Int32) {
            self = raw & 0x7f == 0 ? .exited((raw >> 8) & 0xff) : .signalled(raw & 0x7f)
        }
    }
}

/// A pipe a child writes its output into and the parent drains: both ends close-on-exec (only the
/// `dup2`'d copies reach the child), the read end non-blocking once the child runs, so a child
/// that leaves the pipe open in a background process cannot hold the reader.
package final class OutputPipe {
    package let readEnd: Int32
    package private(set) var writeEnd: Int32
    package private(set) var readEndOpen = true

    package init() throws(ErrnoCode) {
        var ends: [Int32] = [-1, -1]
        // pipe2 is not in Swift's Glibc: set close-on-exec after.
        guard pipe(&ends) == 0 else { throw ErrnoCode(errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        if writeEnd >= 0 { close(writeEnd) }
        if readEndOpen { close(readEnd) }
    }

    /// Closes the parent's copy of the write end (once the child holds its own) and makes reads
    /// non-blocking.
    package func closeWriteEnd() {
        if writeEnd >= 0 { close(writeEnd) }
        writeEnd = -1
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)
    }

    /// Waits until there is something to read (or the end) or `milliseconds` pass; a closed read
    /// end only waits. True when a read may give bytes.
    package func waitReadable(milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: readEndOpen ? readEnd : -1, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, milliseconds)
        return readEndOpen && descriptor.revents != 0
    }

    /// Reads what is there into `buffer`: the count (0 when nothing is there now). At the end of
    /// the stream, or on an error other than "try again", the read end is closed.
    package func read(into buffer: inout [UInt8]) -> Int {
        guard readEndOpen else { return 0 }
        let count = Glibc.read(readEnd, &buffer, buffer.count)
        if count > 0 { return count }
        if count == 0 || (errno != EAGAIN && errno != EINTR) {
            close(readEnd)
            readEndOpen = false
        }
        return 0
    }
}

/// Bytes in an already-unlinked private (0600) temporary file, rewound, for a child to read as
/// its standard input at its own pace (or never) without a pipe to fill; nothing is left behind
/// even if the process is killed. Closed when released.
package final class UnlinkedInputFile {
    package let descriptor: Int32

    /// Writes `bytes` into a new file in `directory` whose name starts with `namePrefix`.
    package init(_ bytes: [UInt8], in directory: String, namePrefix: String) throws(ErrnoCode) {
        var template = Array((directory + "/" + namePrefix + "XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw ErrnoCode(errno) }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        unlink(path)
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        fchmod(descriptor, 0o600)
        let code = POSIX.writeAll(descriptor, bytes)
        if code != 0 {
            close(descriptor)
            throw ErrnoCode(code)
        }
        lseek(descriptor, 0, SEEK_SET)
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}
