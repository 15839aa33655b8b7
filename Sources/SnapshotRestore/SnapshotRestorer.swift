import FileSystem
import SnapshotStore

/// Writes a snapshot's files back into a directory, byte-exact or not at all.
///
/// A restore is planned whole first (``plan(_:into:options:)``): every content is streamed through
/// SHA-256 and its sizes checked against the real data and the configured limit, and every path is
/// checked against the target (no `..`, no absolute path, no symlinked or non-directory parent, no
/// directory in the way). Only then is anything written (``execute(_:partial:)``): with a clean plan
/// everything, with damage nothing unless a partial restore was asked for, in which case the sound
/// entries are written and the rest named. Each file is written beside its destination, checked
/// against its SHA-256 again, given its mode (setuid, setgid and sticky bits only when asked) and,
/// as root, its owner and group, fsynced and renamed into place. Directories get their recorded
/// mode and owner.
///
/// The CLI takes a snapshot of the current state before writing: one
/// ``SnapshotStore/takeSnapshot(of:options:)`` call on the same store.
package struct SnapshotRestorer {
    let store: SnapshotStore

    package init(store: SnapshotStore) {
        self.store = store
    }

    /// Everything a restore of `reference` into `target` would write and would refuse, writing nothing.
    /// Throws when the snapshot or the subtree does not exist, or the target itself is unusable.
    package func plan(
        _ reference: SnapshotReference, into target: String, options: RestoreOptions = RestoreOptions()
    )
        throws -> RestorePlan
    {
        try RestorePlanner(store: store, options: options, target: PathText.withoutTrailingSlashes(target))
            .plan(reference)
    }

    /// Carries out `plan`: everything when it is clean; when it is not, nothing, or with `partial`
    /// the entries that can be restored. The report says exactly what was written and what was not.
    package func execute(
        _ plan: RestorePlan, options: RestoreOptions = RestoreOptions(), partial: Bool = false
    )
        -> RestoreReport
    {
        RestoreExecutor(store: store, options: options).execute(plan, partial: partial)
    }

    /// Plans and executes in one call.
    @discardableResult
    package func restore(
        _ reference: SnapshotReference, into target: String, options: RestoreOptions = RestoreOptions(),
        partial: Bool = false
    ) throws -> RestoreReport {
        let plan = try plan(reference, into: target, options: options)
        return execute(plan, options: options, partial: partial)
    }
}
