import ArgumentParser
import SnapshotStore

/// The `kms-drift` command. Every subcommand exits 0 (nothing to report), 1 (drift or
/// violations found) or 2 (error: bad input, unreadable file, bad config, database error).
@main
struct KMSDrift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kms-drift",
        abstract: "Notices, keeps and explains changes to a Zama KMS node's configuration.",
        discussion: """
            Exit status: 0 nothing to report, 1 drift or violations found, 2 error.
            """,
        version: KMSDriftVersion.current,
        subcommands: [
            Check.self, Snapshot.self, List.self, Show.self, Diff.self, Restore.self, Rebuild.self,
            Baseline.self,
            Pin.self,
            Unpin.self, Verify.self, Validate.self, Consistency.self, Fingerprint.self,
            Export.self, Import.self, Keygen.self, Effective.self, Render.self, Daemon.self,
            StatementCommand.self, Network.self,
        ]
    )

    /// Bare `kms-drift` names no command: a usage error like any other (exit 2), with the
    /// overview on stderr so the operator sees what to type.
    func run() throws {
        Terminal.writeError(Self.helpMessage() + "\n")
        throw ExitCode(2)
    }

    /// Runs a command; the one printer of errors (see `Diagnostics`): every failure a command
    /// throws is printed here as `kms-drift: <message>` and exits 2, the documented error status
    /// (ArgumentParser's own usage errors would otherwise exit 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Terminal.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            var message = fullMessage(for: error)
            // Library errors are written for operators already; ArgumentParser's "Error: " adds nothing.
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            if code == .success {
                Terminal.writeOutput(message + "\n")
                Terminal.exit(0)
            }
            if !message.isEmpty { Diagnostics.report(CommandLineError(message)) }
            Terminal.exit(2)
        }
    }
}
