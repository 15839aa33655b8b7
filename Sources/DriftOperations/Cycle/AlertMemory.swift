import SnapshotStore

/// What the cycle remembers between cycles, and between one-shot processes, about what it already
/// raised: the signature of the last drift, violation and pending restart, the problems an
/// `error` was raised for, the certificate expiry stages, and `[network]`'s statement state. It
/// lives in the store (named values the store gives no meaning), so the one-shot, a new process
/// each time, raises a drift once too. Each change is written in its own transaction.
package struct AlertMemory {
    package let store: SnapshotStore

    package init(store: SnapshotStore) { self.store = store }

    /// The names in the store: the cycle's own, and nobody else's.
    private enum Name: String {
        case driftSignature = "drift.signature"
        case pendingRestartSignature = "pending-restart.signature"
        case violationSignature = "violation.signature"
        case errorProblems = "error.signature"
        case certificateExpiry = "certificate.expiry"
        case networkSequence = "network.sequence"
        case networkPublished = "network.published"
        case networkSeen = "network.seen"
        case networkProblems = "network.problems"
    }

    private func text(_ name: Name) throws -> String { try store.namedValue(name.rawValue)?.value ?? "" }
    private func set(_ value: String, _ name: Name) throws {
        try store.setNamedValue(value, named: name.rawValue)
    }

    /// The last drift raised: its signature (empty once it recovered) and when it was raised or
    /// last reminded, in seconds since the epoch; `nil` when no drift was ever raised.
    package var lastDrift: (signature: String, raisedAt: Int64)? {
        get throws {
            try store.namedValue(Name.driftSignature.rawValue).map {
                ($0.value, $0.updatedAt / 1_000_000_000)
            }
        }
    }
    package func rememberDrift(signature: String) throws { try set(signature, .driftSignature) }

    /// The signature of the last `pending-restart` raised; empty when none is pending.
    package var lastPendingRestartSignature: String { get throws { try text(.pendingRestartSignature) } }
    package func rememberPendingRestart(signature: String) throws {
        try set(signature, .pendingRestartSignature)
    }

    /// The signature of the validation errors last raised as a `violation`; empty when none.
    package var lastViolationSignature: String { get throws { try text(.violationSignature) } }
    package func rememberViolation(signature: String) throws { try set(signature, .violationSignature) }

    /// The problems an `error` was raised for and not yet recovered (``RaisedProblems``' text).
    var raisedProblems: RaisedProblems { get throws { RaisedProblems(stored: try text(.errorProblems)) } }
    func remember(_ problems: RaisedProblems) throws { try set(problems.stored, .errorProblems) }

    /// The expiry stage raised for each certificate, one `key\tstage` line each.
    package var certificateExpiryStages: String { get throws { try text(.certificateExpiry) } }
    package func rememberCertificateExpiry(stages: String) throws { try set(stages, .certificateExpiry) }

    /// The sequence number of the last statement published (0 before the first).
    package var networkSequence: Int64 { get throws { Int64(try text(.networkSequence)) ?? 0 } }
    package func rememberNetworkSequence(_ sequence: Int64) throws {
        try set(String(sequence), .networkSequence)
    }

    /// What the last statement published stated, and when (`"<identity> <seconds>"`); `nil` before the first.
    package var networkPublished: (identity: String?, seconds: Int64)? {
        get throws {
            guard let value = try store.namedValue(Name.networkPublished.rawValue)?.value else { return nil }
            let parts = value.split(separator: " ")
            return (parts.first.map(String.init), parts.count == 2 ? Int64(parts[1]) ?? 0 : 0)
        }
    }
    package func rememberNetworkPublished(identity: String, seconds: Int64) throws {
        try set("\(identity) \(seconds)", .networkPublished)
    }

    /// The highest sequence seen from each party (``SequenceState``'s text).
    package var networkSeen: String { get throws { try text(.networkSeen) } }
    package func rememberNetworkSeen(_ text: String) throws { try set(text, .networkSeen) }

    /// The network problems raised and not yet recovered, one quoted key each.
    package var networkProblems: Set<String> {
        get throws { Set(try text(.networkProblems).split(separator: "\n").map(String.init)) }
    }
    package func rememberNetworkProblems(_ keys: Set<String>) throws {
        try set(keys.sorted().joined(separator: "\n"), .networkProblems)
    }
}
