import SnapshotStore

/// What `restore` did: the snapshot of the state it replaced, if one was taken, and the plan.
public struct RestoreOutcome: Sendable {
    /// The current state saved before anything was written; `nil` for a dry run, a restore
    /// elsewhere (`--to`), or when the operator declined it.
    public let savedState: SnapshotResult?
    public let plan: RestorePlan
}

extension DriftConfiguration {
    /// Restores `snapshot` into the watched directory (or `target`). Before writing into the
    /// watched directory, the current state is snapshotted with the configured filter, so a
    /// restore never loses what it overwrites; `saveCurrentState: false` skips that. The state is
    /// saved in `history` when given (`restore --from` an export restores from a store of its
    /// own), else in `store`.
    public func restore(
        _ snapshot: SnapshotReference, from store: SnapshotStore, into target: String? = nil,
        subtree: String? = nil, dryRun: Bool = false, saveCurrentState: Bool = true,
        history: SnapshotStore? = nil
    ) throws -> RestoreOutcome {
        var saved: SnapshotResult? = nil
        if !dryRun && saveCurrentState && target == nil {
            var options = try snapshotOptions(origin: .restore)
            options.keepNewest = nil  // rotation belongs to the cycle, not to a restore
            saved = try (history ?? store).takeSnapshot(of: watchedDirectory, options: options)
        }
        let plan = try SnapshotRestorer(store: store).restore(
            snapshot, into: target ?? watchedDirectory, subtree: subtree, dryRun: dryRun)
        return RestoreOutcome(savedState: saved, plan: plan)
    }
}
