import FileSystem
import Glibc

/// Where the executable writes, and what the terminal supports.
enum Terminal {
    static func writeOutput(_ text: String) { write(Array(text.utf8), to: STDOUT_FILENO) }

    /// Raw bytes to stdout (`show SNAP PATH` prints files exactly as recorded).
    static func writeOutput(_ bytes: [UInt8]) { write(bytes, to: STDOUT_FILENO) }

    static func writeError(_ text: String) { write(Array(text.utf8), to: STDERR_FILENO) }

    /// Writes all of `bytes`; a closed pipe ends quietly (SIGPIPE is ignored by the daemon, and a
    /// one-shot whose reader went away has nobody left to tell).
    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        POSIX.writeAll(descriptor, bytes)
    }

    /// Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
    static func colorEnabled(for descriptor: Int32 = STDOUT_FILENO) -> Bool {
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return isatty(descriptor) == 1
    }

    static func exit(_ code: Int32) -> Never {
        Glibc.exit(code)
    }
}
