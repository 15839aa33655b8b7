/// What `network check` found: every party of the keyring in one state, the differences of
/// those that differ, and the statements that could not be attributed to a party.
package struct NetworkReport: Sendable, Equatable {
    /// What the parties are compared with.
    package enum Reference: Sendable, Equatable {
        /// Per component, the value most parties hold (a tie goes to the lowest party id's value).
        case majority
        /// This party's statement (`--self N`; the daemon's own).
        case party(Int64)
    }

    /// A party's state, as the metric `kms_drift_network_parties{state=…}` counts it.
    package enum State: String, Sendable, CaseIterable {
        case agree, differ, missing, stale, invalid
    }

    /// One component on which a party differs from the reference.
    package struct Difference: Sendable, Equatable {
        package var component: String
        /// The party's digest; nil when it does not state this component.
        package var digest: String?
        package var referenceDigest: String?
        /// Canonical values, when the statements carry them.
        package var value: String?
        package var referenceValue: String?
    }

    /// A statement that was read and not used, with its source.
    package struct Rejected: Sendable, Equatable {
        package var source: String
        package var problem: StatementProblem
    }

    package struct Party: Sendable, Equatable {
        package var partyID: Int64
        package var state: State
        /// The statement the state is about; nil when missing or none was valid.
        package var source: String?
        package var sequence: Int64?
        package var time: String?
        /// Seconds since `time`.
        package var ageSeconds: Int64?
        package var differences: [Difference] = []
        /// Statements for this party that were rejected (the reason it is `invalid`, or noise beside a valid one).
        package var rejected: [Rejected] = []
    }

    package var reference: Reference
    package var parties: [Party]
    /// Statements whose party is unknown or unreadable.
    package var unattributed: [Rejected]
    package var maximumAge: Duration

    /// How many parties are in each state.
    package var counts: [State: Int] {
        var result: [State: Int] = [:]
        for state in State.allCases { result[state] = 0 }
        for party in parties { result[party.state, default: 0] += 1 }
        return result
    }

    /// 0 every party agrees and every statement was usable, 1 otherwise.
    package var exitStatus: Int32 {
        let clean =
            unattributed.isEmpty && parties.allSatisfy { $0.state == .agree && $0.rejected.isEmpty }
        return clean ? 0 : 1
    }
}
