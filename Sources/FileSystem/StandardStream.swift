import Glibc

/// The process's standard input, output and error.
package enum StandardStream: Sendable {
    case input, output, error

    /// The descriptor (0, 1 or 2).
    package var descriptor: Int32 {
        switch self {
        case .input: return STDIN_FILENO
        case .output: return STDOUT_FILENO
        case .error: return STDERR_FILENO
        }
    }

    /// Writes all of `bytes`; a closed pipe ends quietly (the caller has nobody left to tell).
    package func write(_ bytes: [UInt8]) {
        POSIX.writeAll(descriptor, bytes)
    }

    /// Whether the stream is a terminal (colour, prompts).
    package var isTerminal: Bool { isatty(descriptor) == 1 }
}
