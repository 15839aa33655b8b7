import FileSystem

/// Where the executable writes, and what the terminal supports.
enum Terminal {
    static func writeOutput(_ text: String) { StandardStream.output.write(Array(text.utf8)) }

    /// Raw bytes to stdout (`show SNAP PATH` prints files exactly as recorded).
    static func writeOutput(_ bytes: [UInt8]) { StandardStream.output.write(bytes) }

    /// A closed pipe ends quietly (SIGPIPE is ignored by the daemon, and a one-shot whose reader
    /// went away has nobody left to tell).
    static func writeError(_ text: String) { StandardStream.error.write(Array(text.utf8)) }

    /// Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
    static func colorEnabled(for stream: StandardStream = .output) -> Bool {
        if let noColor = ProcessEnvironment.value(of: "NO_COLOR"), !noColor.isEmpty { return false }
        if ProcessEnvironment.value(of: "TERM") == "dumb" { return false }
        return stream.isTerminal
    }

    static func exit(_ code: Int32) -> Never {
        POSIX.exitProcess(code)
    }
}
