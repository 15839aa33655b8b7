import DriftConfig
import SnapshotStore

/// `baseline take` and `baseline set`: accept a state as the reference drift is measured against.
/// Both mean something only when the reference is the baseline (not a reference directory).
package struct BaselineChange: Sendable {
    package let configuration: DriftConfiguration
    /// Why this state is accepted (a change ticket, a person): kept with the baseline.
    package let reason: String

    package init(configuration: DriftConfiguration, reason: String) {
        self.configuration = configuration
        self.reason = reason
    }

    /// What was accepted.
    package enum Result: Sendable {
        /// `take`: a new snapshot of the watched directory, now the baseline.
        case taken(SnapshotResult, reason: String)
        /// `set`: an existing snapshot is now the baseline; the one it replaced, if any, is kept
        /// as the previous baseline.
        case set(SnapshotID, reason: String, previous: SnapshotID?)

        package var exitStatus: ExitStatus { .nothingToReport }
    }

    /// `baseline take`: snapshots the watched directory now and makes it the baseline.
    package func take(in store: SnapshotStore) throws -> Result {
        .taken(try configuration.takeBaseline(reason: reason, in: store), reason: reason)
    }

    /// `baseline set SNAP`. `openStore` is called once the reference is known to be the baseline,
    /// so a reference directory is refused before the database is opened.
    package func set(_ snapshot: SnapshotReference, openStore: () throws -> SnapshotStore) throws -> Result {
        try configuration.requireBaselineReference()
        let store = try openStore()
        let id = try store.resolve(snapshot)
        try store.setBaseline(.id(id), reason: reason)
        return .set(id, reason: reason, previous: try? store.resolve(.previousBaseline))
    }
}
