/// What `network check` found: every party of the keyring in one state, the differences of
/// those that differ, and the statements that could not be attributed to a party.
public struct NetworkReport: Sendable, Equatable {
    /// What the parties are compared with.
    public enum Reference: Sendable, Equatable {
        /// Per component, the value most parties hold (a tie goes to the lowest party id's value).
        case majority
        /// This party's statement (`--self N`; the daemon's own).
        case party(Int64)
    }

    /// A party's state, as the metric `kms_drift_network_parties{state=…}` counts it.
    public enum State: String, Sendable, CaseIterable {
        case agree, differ, missing, stale, invalid
    }

    /// One component on which a party differs from the reference.
    public struct Difference: Sendable, Equatable {
        public var component: String
        /// The party's digest; nil when it does not state this component.
        public var digest: String?
        public var referenceDigest: String?
        /// Canonical values, when the statements carry them.
        public var value: String?
        public var referenceValue: String?
    }

    /// A statement that was read and not used, with its source.
    public struct Rejected: Sendable, Equatable {
        public var source: String
        public var problem: StatementProblem
    }

    public struct Party: Sendable, Equatable {
        public var partyID: Int64
        public var state: State
        /// The statement the state is about; nil when missing or none was valid.
        public var source: String?
        public var sequence: Int64?
        public var time: String?
        /// Seconds since `time`.
        public var ageSeconds: Int64?
        public var differences: [Difference] = []
        /// Statements for this party that were rejected (the reason it is `invalid`, or noise beside a valid one).
        public var rejected: [Rejected] = []
    }

    public var reference: Reference
    public var parties: [Party]
    /// Statements whose party is unknown or unreadable.
    public var unattributed: [Rejected]
    public var maximumAgeSeconds: Int64

    /// How many parties are in each state.
    public var counts: [State: Int] {
        var result: [State: Int] = [:]
        for state in State.allCases { result[state] = 0 }
        for party in parties { result[party.state, default: 0] += 1 }
        return result
    }

    /// 0 every party agrees and every statement was usable, 1 otherwise.
    public var exitStatus: Int32 {
        let clean =
            unattributed.isEmpty && parties.allSatisfy { $0.state == .agree && $0.rejected.isEmpty }
        return clean ? 0 : 1
    }
}
