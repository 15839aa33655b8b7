import FoundationEssentials

/// A row of the snapshot list.
public struct SnapshotSummary: Hashable, Sendable {
    public var id: SnapshotID
    public var takenAt: Date
    /// The directory that was snapshotted, as given to ``SnapshotStore/takeSnapshot(of:options:)``.
    public var rootPath: String
    public var fileCount: Int
    /// Sum of the sizes of the regular files.
    public var totalSize: Int64
    public var isBaseline: Bool
    public var isPinned: Bool
    /// Why this snapshot was made the baseline, when it is the baseline.
    public var baselineReason: String?
    public var baselineSetAt: Date?
    /// The baseline before the last `baseline set`, kept until the next one.
    public var isPreviousBaseline = false
    /// When a cycle last found this state (its own time, or a later unchanged cycle's).
    public var checkedAt: Date? = nil
    /// How many cycles found this state unchanged after it was taken.
    public var unchangedChecks = 0
    /// Why rotation keeps it (see ``SnapshotStore/retentionReasons(policy:)``); empty until asked.
    public var keptBecause: [RetentionReason] = []
}
