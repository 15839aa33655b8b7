import DriftConfig
import SnapshotStore

extension DriftConfiguration {
    /// Takes a snapshot of the watched directory to be the baseline (`baseline take`): its
    /// metadata says `baseline` and carries the reason as its note, and it is pinned by being
    /// the baseline. Rotation does not run: that belongs to the cycle.
    package func takeBaseline(reason: String, in store: SnapshotStore) throws -> SnapshotResult {
        try requireBaselineReference()
        var options = try snapshotOptions(origin: .baseline, note: reason)
        options.keepNewest = nil
        options.onlyWhenChanged = false  // its reason is kept with it, as a note is
        let result = try store.takeSnapshot(
            from: DirectorySource(root: watchedDirectory, filter: watchFilter), options: options)
        try store.setBaseline(.id(result.id), reason: reason)
        return result
    }
}
