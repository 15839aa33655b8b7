import DriftConfig
import DriftCore
import SnapshotStore

/// `list`: the held snapshots with why retention keeps each, their chain links, and (unless
/// asked not to) how each compares with the reference.
package struct SnapshotListing: Sendable {
    package let configuration: DriftConfiguration
    /// False for `--no-status`: no snapshot is compared with the reference (faster on a large history).
    package let withStatus: Bool

    package init(configuration: DriftConfiguration, withStatus: Bool = true) {
        self.configuration = configuration
        self.withStatus = withStatus
    }

    /// What `list` found: the model its text and JSON renderings are made from.
    package struct Result: Sendable {
        /// Oldest first, with why the configured retention keeps each one (what the next rotation keeps).
        package let snapshots: [SnapshotSummary]
        package let links: [SnapshotID: ChainLink]
        /// Each snapshot's `same` / `differs: …` / `cannot compare: …`; `nil` for `--no-status`.
        package let statuses: [SnapshotID: String]?
        /// The history database, as configured.
        package let database: String

        /// Listing reports nothing: 0, whatever the statuses say (`snapshot` and `diff` judge drift).
        package var exitStatus: ExitStatus { .nothingToReport }
    }

    package func run(in store: SnapshotStore) throws -> Result {
        let snapshots = try store.listSnapshots(policy: configuration.retentionPolicy)
        let links = Dictionary(
            try store.chainLinks().map { ($0.snapshot, $0) }, uniquingKeysWith: { first, _ in first })
        // Each snapshot's comparison was stored when it was taken; only those made against
        // another reference (a moved baseline, a changed reference directory) are computed again.
        let identity: Swift.Result<String, any Error>? =
            !withStatus || snapshots.isEmpty
            ? nil : Swift.Result { try configuration.referenceIdentity(in: store) }
        let stored = identity == nil ? [:] : try store.storedComparisons()
        var statuses: [SnapshotID: String] = [:]
        if let identity {
            for snapshot in snapshots {
                statuses[snapshot.id] = status(of: snapshot.id, store, identity: identity, stored: stored)
            }
        }
        return Result(
            snapshots: snapshots, links: links, statuses: withStatus ? statuses : nil,
            database: configuration.databasePath)
    }

    private func status(
        of id: SnapshotID, _ store: SnapshotStore, identity: Swift.Result<String, any Error>,
        stored: [SnapshotID: StoredComparison]
    ) -> String {
        do {
            let comparison = try configuration.comparisonWithReference(
                of: id, in: store, identity: try identity.get(), stored: stored)
            return comparison.changeCount == 0
                ? "same"
                : "differs: "
                    + TextReportRenderer.summary(
                        changeCount: comparison.changeCount, counts: comparison.countsBySeverity)
        } catch {
            return "cannot compare: \(error)"
        }
    }
}
