import DriftConfig
import DriftCore
import SnapshotStore

/// `diff FROM [TO]`: two snapshots compared by meaning, or `FROM` with the configured reference
/// (the baseline, or the reference directory) when `TO` is omitted.
package struct SnapshotDiff: Sendable {
    package let configuration: DriftConfiguration
    package let from: SnapshotReference
    package let to: SnapshotReference?
    /// `--ignore`: key paths dropped on top of `[compare] ignore`.
    package let ignoring: [KeyPathPattern]

    package init(
        configuration: DriftConfiguration, from: SnapshotReference, to: SnapshotReference?,
        ignoring: [KeyPathPattern] = []
    ) {
        self.configuration = configuration
        self.from = from
        self.to = to
        self.ignoring = ignoring
    }

    /// What `diff` found, and the store's key its secrets are fingerprinted with by default.
    package struct Result: Sendable {
        package let report: DriftReport
        package let storeKey: FingerprintKey

        /// 0 same meaning, 1 differences.
        package var exitStatus: ExitStatus { .findings(if: !report.isClean) }
    }

    package func run(in store: SnapshotStore) throws -> Result {
        let report = try configuration.compare(from, to, in: store, ignoring: ignoring)
        return Result(report: report, storeKey: try store.secretFingerprintKey())
    }
}
