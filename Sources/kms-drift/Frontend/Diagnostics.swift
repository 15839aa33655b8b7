import ArgumentParser
import DriftCore
import DriftOperations

/// The one printer of errors, warnings and notes (swift-format's `DiagnosticsEngine`): commands
/// throw, or hand a per-file error, a warning or a note here and go on; they never write
/// "kms-drift: …" themselves. The exit status is not decided here: each operation's result carries
/// its `ExitStatus` (DriftOperations), which ``exit(with:)`` passes on; a thrown error exits 2.
enum Diagnostics {
    /// Ends the command with the status its operation decided (returns for 0).
    static func exit(with status: ExitStatus) throws(ExitCode) {
        if status != .nothingToReport { throw ExitCode(status.rawValue) }
    }

    /// Prints one error line on stderr (`kms-drift: <what, where, what to do>`), for commands
    /// that go on with the next file and exit with ``failure`` at the end.
    /// Control characters in the message (a file name with ESC or CR) are escaped; line breaks
    /// the message itself has (a hint on its own line) are kept.
    static func report(_ error: any Error) {
        let lines = "\(error)".split(separator: "\n", omittingEmptySubsequences: false)
        Terminal.writeError(
            "kms-drift: " + lines.map { TerminalText.escaped(String($0)) }.joined(separator: "\n") + "\n")
    }

    /// `kms-drift: warning: …` on stderr: something the operator should fix, which did not stop
    /// the command (a store readable by others).
    static func warning(_ message: String) {
        Terminal.writeError("kms-drift: warning: " + TerminalText.escaped(message) + "\n")
    }

    /// `kms-drift: note: …` on stderr: what the command did or assumed, for the operator's
    /// information (a renamed flag, a layer it read).
    static func note(_ message: String) {
        Terminal.writeError("kms-drift: note: " + TerminalText.escaped(message) + "\n")
    }
}

/// An error worded by the command line itself (a missing flag the libraries cannot know about).
struct CommandLineError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
