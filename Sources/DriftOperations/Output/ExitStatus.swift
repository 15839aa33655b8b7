/// The status a command exits with. Every operation's result decides its own from what it found,
/// here and nowhere else; the executable only passes it on (an error thrown is always `failure`).
package enum ExitStatus: Int32, Sendable, Equatable {
    /// Nothing to report: no drift, no violation, the operation did all it was asked.
    case nothingToReport = 0
    /// Drift, differences or violations found.
    case findings = 1
    /// An error: bad input, unreadable file, bad config, database error, a restore not complete.
    case failure = 2

    /// `findings` when `found` is true, else `nothingToReport`.
    package static func findings(if found: Bool) -> ExitStatus { found ? .findings : .nothingToReport }

    /// `failure` when `failed` is true, else `nothingToReport`.
    package static func failure(if failed: Bool) -> ExitStatus { failed ? .failure : .nothingToReport }
}
