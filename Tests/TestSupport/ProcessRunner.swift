import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How a finished child process ended and everything it wrote.
public struct ProcessResult: Sendable {
    /// The exit status, or the signal number when `terminatedBySignal`.
    public let status: Int32
    /// Whether a signal ended the process (then `status` is the signal number).
    public let terminatedBySignal: Bool
    public let standardOutput: [UInt8]
    public let standardError: [UInt8]

    /// Standard output as text (invalid UTF-8 replaced).
    public var stdout: String { String(decoding: standardOutput, as: UTF8.self) }
    /// Standard error as text (invalid UTF-8 replaced).
    public var stderr: String { String(decoding: standardError, as: UTF8.self) }
}

/// A child did not finish within its time limit; it was killed with SIGKILL.
public struct ProcessTimedOut: Error, CustomStringConvertible {
    public let command: [String]
    public let seconds: Double
    public let stdoutSoFar: String
    public let stderrSoFar: String

    public var description: String {
        "\(command.joined(separator: " ")) did not finish within \(seconds) s and was killed;"
            + " stdout so far: \(stdoutSoFar.suffix(2000)); stderr so far: \(stderrSoFar.suffix(2000))"
    }
}

/// The time limit `runProcess` and `RunningProcess.wait` apply unless told otherwise.
public let defaultProcessTimeout: Double = 120

/// Runs `executable` with `arguments` to the end and returns its status and output. Standard
/// output and standard error are read concurrently, so a child filling either pipe never
/// blocks. `stdin` is fed from a file (nothing: /dev/null); `environment` replaces the
/// inherited one when given; after `timeout` seconds the child is killed and this throws.
public func runProcess(
    _ executable: String, _ arguments: [String], stdin: [UInt8]? = nil,
    environment: [String: String]? = nil, currentDirectory: URL? = nil,
    timeout: Double = defaultProcessTimeout
) throws -> ProcessResult {
    try RunningProcess(
        executable, arguments, stdin: stdin, environment: environment, currentDirectory: currentDirectory
    ).wait(timeout: timeout)
}

/// A started child process whose output is collected in the background: for tests that act
/// while it runs (signal it, wait for a line) before waiting for its end.
public final class RunningProcess: @unchecked Sendable {
    private let process = Process()
    private let command: [String]
    private let output = PipeCollector()
    private let errors = PipeCollector()
    /// Left by the stdout reader, the stderr reader and the termination handler.
    private let finished = DispatchGroup()

    public init(
        _ executable: String, _ arguments: [String], stdin: [UInt8]? = nil,
        environment: [String: String]? = nil, currentDirectory: URL? = nil
    ) throws {
        command = [executable] + arguments
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardInput = try stdin.map(Self.inputFile) ?? FileHandle.nullDevice
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        finished.enter()
        let finished = finished
        process.terminationHandler = { _ in finished.leave() }
        do {
            try process.run()
        } catch {
            finished.leave()
            throw error
        }
        output.start(reading: outputPipe.fileHandleForReading, group: finished)
        errors.start(reading: errorPipe.fileHandleForReading, group: finished)
    }

    /// `bytes` in an unlinked temporary file, positioned at its start: a stdin that never
    /// blocks the writer and never raises SIGPIPE when the child does not read it.
    private static func inputFile(_ bytes: [UInt8]) throws -> FileHandle {
        var template = Array(
            (FileManager.default.temporaryDirectory.path + "/kms-drift-stdin-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        handle.write(Data(bytes))
        handle.seek(toFileOffset: 0)
        return handle
    }

    public var processIdentifier: Int32 { process.processIdentifier }

    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` to the child.
    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// What the child has written to standard output so far.
    public var stdoutSoFar: String { String(decoding: output.bytes, as: UTF8.self) }

    /// What the child has written to standard error so far.
    public var stderrSoFar: String { String(decoding: errors.bytes, as: UTF8.self) }

    /// Waits until standard output contains `text`; false if the child closed it or the
    /// deadline passed first.
    public func waitForOutput(containing text: String, timeout: Double = defaultProcessTimeout) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdoutSoFar.contains(text) { return true }
            if output.isClosed { return stdoutSoFar.contains(text) }
            usleep(5_000)
        }
        return stdoutSoFar.contains(text)
    }

    /// The result once the child has exited and closed its output, or nil if that has not
    /// happened within `timeout` seconds (the child is left running).
    public func waitForExit(timeout: Double) -> ProcessResult? {
        guard finished.wait(timeout: .now() + timeout) == .success else { return nil }
        return ProcessResult(
            status: process.terminationStatus,
            terminatedBySignal: process.terminationReason == .uncaughtSignal,
            standardOutput: output.bytes, standardError: errors.bytes)
    }

    /// Waits for the end of the child; after `timeout` seconds kills it with SIGKILL and throws
    /// `ProcessTimedOut` with what it wrote so far.
    public func wait(timeout: Double = defaultProcessTimeout) throws -> ProcessResult {
        if let result = waitForExit(timeout: timeout) { return result }
        signal(SIGKILL)
        _ = finished.wait(timeout: .now() + 10)
        throw ProcessTimedOut(
            command: command, seconds: timeout, stdoutSoFar: stdoutSoFar, stderrSoFar: stderrSoFar)
    }
}

/// Reads one pipe to its end on a thread of its own, keeping the bytes for any thread to see.
private final class PipeCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [UInt8] = []
    private var closed = false

    var bytes: [UInt8] { lock.withLock { collected } }
    var isClosed: Bool { lock.withLock { closed } }

    func start(reading handle: FileHandle, group: DispatchGroup) {
        group.enter()
        let thread = Thread { [self] in
            let descriptor = handle.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    lock.withLock { collected.append(contentsOf: buffer[0..<count]) }
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            lock.withLock { closed = true }
            try? handle.close()
            group.leave()
        }
        thread.start()
    }
}
