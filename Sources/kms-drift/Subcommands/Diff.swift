import ArgumentParser
import DriftOperations
import SnapshotStore

extension KMSDrift {
    /// `kms-drift diff A [B]`: the semantic diff between two snapshots.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Compare two snapshots, or a snapshot with the reference, by meaning.",
            discussion: "Same output as check. Without B, A is compared with the configured reference "
                + "(the baseline, or the reference directory). Exit status: 0 same, 1 differences, 2 error.")

        @OptionGroup var location: StoreOptions
        @OptionGroup var report: ReportOptions

        @Argument(help: "The older side: #12, 12, latest or baseline.")
        var from: SnapshotReference

        @Argument(help: "The newer side; omitted: compare FROM with the reference.")
        var to: SnapshotReference?

        func run() throws {
            let configuration = try location.configuration(requireDirectory: false)
            let store = try location.openStore(configuration)
            let result = try SnapshotDiff(
                configuration: configuration, from: from, to: to, ignoring: report.ignore
            )
            .run(in: store)
            Terminal.writeOutput(
                report.render(result.report, key: try report.fingerprintKey(store: result.storeKey)))
            try Diagnostics.exit(with: result.exitStatus)
        }
    }
}
