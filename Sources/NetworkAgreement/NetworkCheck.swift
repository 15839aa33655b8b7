import DriftCore
import FileSystem

/// Judges the parties' statements against the keyring and against each other.
///
/// A statement counts only when it parses, names a party the keyring pins, carries that party's
/// signature over its signed text, was made for this network and salt, sums up consistently,
/// is newer than any seen before from the party (replay) and is younger than the age limit.
/// Of several usable statements of one party, the highest sequence number is the one compared.
package struct NetworkCheck: Sendable {
    package let keyring: Keyring
    /// A statement older than this is stale.
    package let maximumAge: Duration
    /// Seconds since the epoch.
    package let now: Int64

    /// How far ahead of this host's clock a statement may be dated (clocks are never exactly equal).
    package static let allowedClockSkewSeconds: Int64 = 600

    package init(keyring: Keyring, maximumAge: Duration, now: Int64) {
        self.keyring = keyring
        self.maximumAge = maximumAge
        self.now = now
    }

    /// One statement as read: its source (a path or a URL) and its bytes, or why it could not be read.
    package struct Input: Sendable {
        package var source: String
        package var bytes: Result<[UInt8], StatementProblem>

        package init(source: String, bytes: Result<[UInt8], StatementProblem>) {
            self.source = source
            self.bytes = bytes
        }
    }

    /// What the parties are compared with.
    package enum ReferenceChoice: Sendable {
        case majority
        /// The statement of this party, which must be among the usable ones.
        case party(Int64)
        /// A statement the caller vouches for (the daemon's own, made this cycle).
        case statement(Statement)
    }

    /// The report and the sequence state to keep for the next check.
    package func run(_ inputs: [Input], reference choice: ReferenceChoice, state: SequenceState)
        throws(NetworkAgreementError) -> (NetworkReport, SequenceState)
    {
        var unattributed: [NetworkReport.Rejected] = []
        var rejected: [Int64: [NetworkReport.Rejected]] = [:]
        var usable: [Int64: (statement: Statement, source: String)] = [:]
        var newState = state
        for input in inputs {
            let statement: Statement
            switch input.bytes.flatMap(Statement.parse) {
            case .failure(let problem):
                unattributed.append(.init(source: input.source, problem: problem))
                continue
            case .success(let parsed): statement = parsed
            }
            let party = statement.partyID
            switch verify(statement) {
            case .failure(let problem):
                if case .unknownParty = problem {
                    unattributed.append(.init(source: input.source, problem: problem))
                } else {
                    rejected[party, default: []].append(.init(source: input.source, problem: problem))
                }
                continue
            case .success: break
            }
            let signature = SHA256Hex.of(statement.signature ?? "")
            if let seen = state.seen[party],
                statement.sequence < seen.sequence
                    || (statement.sequence == seen.sequence && signature != seen.signature)
            {
                rejected[party, default: []].append(
                    .init(
                        source: input.source,
                        problem: .replayed(sequence: statement.sequence, lastSeen: seen.sequence)))
                continue
            }
            if let current = newState.seen[party], current.sequence >= statement.sequence {
                // keep the higher one already recorded
            } else {
                newState.seen[party] = .init(sequence: statement.sequence, signature: signature)
            }
            let ahead = (Self.seconds(fromTimestamp: statement.time) ?? now) - now
            if ahead > Self.allowedClockSkewSeconds {
                rejected[party, default: []].append(
                    .init(source: input.source, problem: .future(seconds: ahead)))
                continue
            }
            if let other = usable[party], other.statement.sequence >= statement.sequence { continue }
            usable[party] = (statement, input.source)
        }

        var parties: [NetworkReport.Party] = []
        var fresh: [Int64: Statement] = [:]
        for id in keyring.partyIDs {
            var party = NetworkReport.Party(partyID: id, state: .missing)
            party.rejected = rejected[id] ?? []
            if let (statement, source) = usable[id] {
                party.source = source
                party.sequence = statement.sequence
                party.time = statement.time
                let age = now - (Self.seconds(fromTimestamp: statement.time) ?? 0)
                party.ageSeconds = age
                if .seconds(age) > maximumAge {
                    party.state = .stale
                } else {
                    party.state = .agree
                    fresh[id] = statement
                }
            } else if !party.rejected.isEmpty {
                party.state = .invalid
            }
            parties.append(party)
        }

        let referenceKind: NetworkReport.Reference
        let referenceStatement: Statement?
        switch choice {
        case .majority:
            referenceKind = .majority
            referenceStatement = nil
        case .party(let id):
            guard let own = fresh[id] else {
                let state = parties.first { $0.partyID == id }?.state.rawValue ?? "not in the keyring"
                throw .invalidOption(
                    "--self \(id): party \(id)'s own statement is \(state), so it cannot be the reference; "
                        + "make a fresh one (kms-drift statement) or check without --self")
            }
            referenceKind = .party(id)
            referenceStatement = own
        case .statement(let own):
            referenceKind = .party(own.partyID)
            referenceStatement = own
        }
        let comparison = ComponentComparison(statements: fresh, reference: referenceStatement)
        for index in parties.indices where parties[index].state == .agree {
            let differences = comparison.differences(of: fresh[parties[index].partyID]!)
            if !differences.isEmpty {
                parties[index].state = .differ
                parties[index].differences = differences
            }
        }
        let report = NetworkReport(
            reference: referenceKind, parties: parties, unattributed: unattributed,
            maximumAge: maximumAge)
        return (report, newState)
    }

    /// Everything about one statement that does not depend on the others.
    func verify(_ statement: Statement) -> Result<Void, StatementProblem> {
        guard let key = keyring.keys[statement.partyID] else {
            return .failure(.unknownParty(statement.partyID))
        }
        guard let signature = statement.signature, !signature.isEmpty else { return .failure(.unsigned) }
        guard StatementSigning.isSigned(statement, by: key) else {
            for (other, otherKey) in keyring.keys where other != statement.partyID {
                if StatementSigning.isSigned(statement, by: otherKey) {
                    return .failure(.wrongKey(signer: other))
                }
            }
            return .failure(.badSignature)
        }
        guard statement.network == keyring.network else { return .failure(.otherNetwork(statement.network)) }
        guard statement.saltID == StatementFormat.saltIdentifier(saltHex: keyring.saltHex) else {
            return .failure(.otherSalt(statement.saltID))
        }
        guard Self.seconds(fromTimestamp: statement.time) != nil else {
            return .failure(.malformed("its time \"\(statement.time)\" is not like 2026-12-06T20:00:00Z"))
        }
        for (path, value) in statement.values {
            let digest = StatementFormat.leafDigest(
                network: keyring.network, saltHex: keyring.saltHex, path: path, canonical: value)
            guard statement.components[path] == digest else {
                return .failure(.inconsistent("the value of \(path) does not hash to its digest"))
            }
        }
        let leaves = statement.components.filter { !ComponentComparison.isGroup($0.key) }
        let recomputed = SharedComponents.addingGroups(
            to: leaves, network: keyring.network, saltHex: keyring.saltHex)
        guard recomputed == statement.components else {
            return .failure(.inconsistent("its peer groups do not sum up its peer components"))
        }
        return .success(())
    }

    /// Seconds since the epoch of `2026-12-06T20:00:00Z`; nil for any other shape.
    package static func seconds(fromTimestamp text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A,
            bytes[16] == 0x3A, bytes[19] == 0x5A
        else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int32(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        return POSIX.epochSeconds(
            utcYear: Int(year), month: Int(month), day: Int(day), hour: Int(hour), minute: Int(minute),
            second: Int(second))
    }
}
