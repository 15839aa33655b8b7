import FileSystem
import NetworkAgreement

/// `network check STATEMENT…`: the parties' signed statements verified against the keyring and
/// compared, component by component, with this party's (`selfParty`) or the majority's.
package struct NetworkAgreementCheck: Sendable {
    package let statements: [String]
    package let keyringPath: String
    /// `--self N`: compare with this party's statement instead of the majority.
    package var selfParty: Int64? = nil
    /// `--max-age`, as typed (48h, 2d, 90m): an older statement is stale.
    package var maximumAge = "48h"
    /// `--state`: the last sequence number seen per party, read and written back (replay detection).
    package var statePath: String? = nil
    package var allowRemote = false
    package var timeout: Duration = .seconds(5)

    package init(statements: [String], keyringPath: String) {
        self.statements = statements
        self.keyringPath = keyringPath
    }

    package struct Result: Sendable {
        package let report: NetworkReport

        /// 0 all agree, 1 a disagreement or a missing or invalid statement.
        package var exitStatus: ExitStatus { ExitStatus(rawValue: report.exitStatus) ?? .failure }
    }

    package func run() throws -> Result {
        let check = NetworkCheck(
            keyring: try Keyring.load(keyringPath),
            maximumAge: try AgeLimit.duration(parsing: maximumAge),
            now: POSIX.wallClockSeconds())
        let inputs = try StatementSources(
            statements, timeout: timeout, allowRemote: allowRemote
        )
        .read()
        let seen = try statePath.map { path throws(NetworkAgreementError) in try SequenceState.load(path) }
        let (report, newState) = try check.run(
            inputs, reference: selfParty.map { .party($0) } ?? .majority, state: seen ?? SequenceState())
        if let statePath { try newState.save(statePath) }
        return Result(report: report)
    }
}
