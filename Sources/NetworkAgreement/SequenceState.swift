import DriftCore
import EffectiveConfig
import FileSystem

/// The last sequence number seen from each party, so a statement older than one already seen
/// (a replay) is named. The CLI keeps it in a file (`network check --state FILE`); the daemon in
/// its store. Text, one line per party: `<party_id> <sequence> <sha256 of the signature>`.
package struct SequenceState: Sendable, Equatable {
    package struct Seen: Sendable, Equatable {
        package var sequence: Int64
        /// Hex SHA-256 of the statement's signature: the same number with another signature is a replay too.
        package var signature: String

        package init(sequence: Int64, signature: String) {
            self.sequence = sequence
            self.signature = signature
        }
    }

    package var seen: [Int64: Seen] = [:]

    package init() {}

    static let header =
        "# kms-drift network check: last sequence number seen per party (party sequence signature-sha256)"

    /// The state as text.
    package var text: String {
        var lines = [Self.header]
        for party in seen.keys.sorted() {
            lines.append("\(party) \(seen[party]!.sequence) \(seen[party]!.signature)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses `text`; `source` names it in errors. CRLF and LF alike.
    package static func parse(_ text: String, source: String) throws(NetworkAgreementError) -> SequenceState {
        var state = SequenceState()
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
        {
            let line = rawLine.trimmingPrefix(while: \.isWhitespace)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count == 3, let party = Int64(fields[0]), let sequence = Int64(fields[1]) else {
                throw .state(
                    path: source, line: index + 1, reason: "expected `party_id sequence signature-sha256`")
            }
            state.seen[party] = Seen(sequence: sequence, signature: String(fields[2]))
        }
        return state
    }

    /// Reads the state file; a missing file is an empty state (the first check).
    package static func load(_ path: String) throws(NetworkAgreementError) -> SequenceState {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(path)
        } catch {
            if case .system(let code) = error, code.isNotFound { return SequenceState() }
            throw .unreadable(path: path, reason: error.description)
        }
        return try parse(String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// Writes the state file atomically (mode 0600).
    package func save(_ path: String) throws(NetworkAgreementError) {
        try StatementFile.write(text, to: path, mode: 0o600)
    }
}

/// Writes a statement or a state file so that readers (another party's `network check`, a Git
/// commit, an object-store sync) see the old file or the new one, never a part: the project's one
/// atomic writer (`FileSystem.AtomicFile`: temporary file, fsync, rename, directory fsync).
package enum StatementFile {
    package static func write(_ text: String, to path: String, mode: UInt32 = 0o644)
        throws(NetworkAgreementError)
    {
        do throws(AtomicFileError) {
            try AtomicFile.write(Array(text.utf8), to: path, mode: mode)
        } catch {
            throw .unwritable(path: path, reason: error.reason)
        }
    }
}
