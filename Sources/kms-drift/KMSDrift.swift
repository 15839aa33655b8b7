import ArgumentParser

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
        version: "0.1.0",
        subcommands: [
            Check.self, Snapshot.self, List.self, Show.self, Diff.self, Restore.self, Baseline.self, Pin.self,
            Unpin.self, Verify.self, Validate.self, Consistency.self, Fingerprint.self,
            Effective.self, Render.self, Daemon.self,
        ]
    )

    /// Runs a command and maps every failure to exit status 2, the documented error status:
    /// ArgumentParser's own usage errors would otherwise exit 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Terminal.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                Terminal.writeOutput(message + "\n")
                Terminal.exit(0)
            }
            if !message.isEmpty { Terminal.writeError("kms-drift: " + message + "\n") }
            Terminal.exit(2)
        }
    }
}
