import FoundationEssentials

/// A row of the snapshot list.
package struct SnapshotSummary: Hashable, Sendable {
    package var id: SnapshotID
    package var takenAt: Date
    /// The directory that was snapshotted, as given to ``SnapshotStore/takeSnapshot(of:options:)``.
    package var rootPath: String
    package var fileCount: Int
    /// Sum of the sizes of the regular files.
    package var totalSize: Int64
    package var isBaseline: Bool
    package var isPinned: Bool
    /// Why this snapshot was made the baseline, when it is the baseline.
    package var baselineReason: String?
    package var baselineSetAt: Date?
    /// The baseline before the last `baseline set`, kept until the next one.
    package var isPreviousBaseline = false
    /// When a cycle last found this state (its own time, or a later unchanged cycle's).
    package var checkedAt: Date? = nil
    /// How many cycles found this state unchanged after it was taken.
    package var unchangedChecks = 0
    /// Why rotation keeps it (see ``SnapshotStore/retentionReasons(policy:)``); empty until asked.
    package var keptBecause: [RetentionReason] = []
}
