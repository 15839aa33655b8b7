import DriftCore
import SnapshotStore

/// What one cycle did and found.
public struct CycleOutcome: Sendable {
    public let snapshot: SnapshotResult
    /// The comparison with the reference; `nil` when it failed (see the `error` event).
    public let report: DriftReport?
    /// True when this cycle's snapshot became the baseline (the first of an empty store).
    public let baselineCreated: Bool
    /// Events to raise, already de-duplicated against earlier cycles.
    public let events: [DriftEvent]

    /// The one-shot exit status: 0 no drift, 1 drift, 2 error.
    public var exitStatus: Int32 {
        guard let report else { return 2 }
        return report.isClean ? 0 : 1
    }
}

/// Something the operator must hear about.
public struct DriftEvent: Sendable {
    public let kind: EventKind
    public let snapshot: SnapshotID?
    public let report: DriftReport?
    /// For `error` events: what failed, in operator words.
    public let message: String?

    public init(kind: EventKind, snapshot: SnapshotID?, report: DriftReport?, message: String?) {
        self.kind = kind
        self.snapshot = snapshot
        self.report = report
        self.message = message
    }
}
