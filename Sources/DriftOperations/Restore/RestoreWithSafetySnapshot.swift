import DriftConfig
import FileSystem
import SnapshotRestore
import SnapshotStore

/// What `restore` did: the plan, the snapshot of the state it replaced (if one was taken), and
/// what was written.
package struct RestoreOutcome: Sendable {
    package let plan: RestorePlan
    /// The current state saved before anything was written; `nil` when nothing was written, for a
    /// restore elsewhere (`--to`), or when the operator declined it.
    package let savedState: SnapshotResult?
    /// What was written and what was not; `nil` for a dry run and for a plan that was refused as a
    /// whole (not clean, and no partial restore asked for): then nothing at all was written.
    package let report: RestoreReport?

    /// True when every entry of the plan was (or, for a dry run, would be) restored.
    package var isComplete: Bool { report?.isComplete ?? plan.isClean }
}

extension DriftConfiguration {
    /// Restores `snapshot` into the watched directory (or `target`), planned whole first: nothing is
    /// written unless every entry can be restored, or `partial` is set. Before writing into the
    /// watched directory, the current state is snapshotted with the configured filter, so a restore
    /// never loses what it overwrites; `saveCurrentState: false` skips that. The state is saved in
    /// `history` when given (`restore --from` an export restores from a store of its own), else in
    /// `store`. Content recorded as larger than `[watch] max_file_size` is not trusted.
    package func restore(
        _ snapshot: SnapshotReference, from store: SnapshotStore, into target: String? = nil,
        subtree: String? = nil, keepSpecialBits: Bool = false, dryRun: Bool = false, partial: Bool = false,
        saveCurrentState: Bool = true, history: SnapshotStore? = nil
    ) throws -> RestoreOutcome {
        let options = RestoreOptions(
            subtree: try subtree.map(RestoreScope.subtree), keepSpecialBits: keepSpecialBits,
            maximumFileSize: maximumStoredFileSize)
        let restorer = SnapshotRestorer(store: store)
        let plan = try restorer.plan(snapshot, into: target ?? watchedDirectory, options: options)
        guard !dryRun, plan.isClean || partial else {
            return RestoreOutcome(plan: plan, savedState: nil, report: nil)
        }
        var saved: SnapshotResult? = nil
        // An empty store and an empty directory have nothing to save; a snapshot of nothing would
        // only become a first snapshot that is not the baseline.
        let nothingToSave = try (history ?? store).isEmpty() && Self.isEmptyDirectory(watchedDirectory)
        if saveCurrentState && target == nil && !nothingToSave {
            var snapshotOptions = try snapshotOptions(origin: .restore)
            snapshotOptions.keepNewest = nil  // rotation belongs to the cycle, not to a restore
            saved = try (history ?? store).takeSnapshot(
                from: DirectorySource(root: watchedDirectory, filter: watchFilter), options: snapshotOptions)
        }
        let report = restorer.execute(plan, options: options, partial: partial)
        return RestoreOutcome(plan: plan, savedState: saved, report: report)
    }
}

extension DriftConfiguration {
    /// True when `path` is absent or holds no entry.
    static func isEmptyDirectory(_ path: String) -> Bool {
        do {
            return try DirectoryListing.names(in: path).isEmpty
        } catch {
            return error.isNotFound
        }
    }
}
