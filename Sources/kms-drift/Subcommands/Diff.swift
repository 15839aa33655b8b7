import ArgumentParser
import DriftCore
import DriftConfig
import DriftDaemon
import SnapshotStore

extension KMSDrift {
    /// `kms-drift diff A [B]`: the semantic diff between two snapshots.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two snapshots, or a snapshot with the reference, by meaning.",
            discussion: "Same output as check. Without B, A is compared with the configured reference "
                + "(the baseline, or the reference directory). Exit status: 0 same, 1 differences, 2 error.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var report: ReportOptions

        @Argument(help: "The older side: #12, 12, latest or baseline.")
        var from: SnapshotReference

        @Argument(help: "The newer side; omitted: compare FROM with the reference.")
        var to: SnapshotReference?

        func run() throws {
            let configuration = try store.configuration(requireDirectory: false)
            let history = try store.openStore(configuration)
            let result: DriftReport = try Failure.exitOnError {
                let comparison = TreeComparison(
                    diff: ConfigDiff(
                        ignoring: report.ignorePatterns() + (try configuration.ignorePatterns())),
                    tomlVersion: configuration.tomlVersion)
                if let to {
                    return try comparison.compare(
                        reference: SnapshotTree(store: history, reference: from),
                        current: SnapshotTree(store: history, reference: to))
                }
                var cycleConfiguration = configuration
                cycleConfiguration.ignore += report.ignore
                return try DriftCycle(configuration: cycleConfiguration).compare(
                    store: history, snapshot: try history.resolve(from))
            }
            Terminal.writeOutput(report.render(result))
            if !result.isClean { throw ExitCode(1) }
        }
    }
}
