import ArgumentParser
import DriftCore
import DriftConfig
import SnapshotStore

extension KMSDrift {
    /// `kms-drift list`: the history, with marks and drift status.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List snapshots: id, time, files, size, marks, and whether each differs from the reference.")

        @OptionGroup var location: StoreOptions

        @Flag(
            name: .long, help: "Do not compare each snapshot with the reference (faster on a large history).")
        var noStatus = false

        func run() throws {
            let configuration = try location.configuration(requireDirectory: false)
            let store = try location.openStore(configuration)
            let snapshots = try store.listSnapshots()
            var rows = [["ID", "TAKEN (UTC)", "FILES", "SIZE", "MARKS"] + (noStatus ? [] : ["VS REFERENCE"])]
            for snapshot in snapshots.reversed() {
                var marks: [String] = []
                if snapshot.isBaseline {
                    var mark = "baseline"
                    if let reason = snapshot.baselineReason { mark += " (\(reason))" }
                    marks.append(mark)
                }
                if snapshot.isPinned { marks.append("pinned") }
                var status = ""
                if !noStatus {
                    do {
                        let report = try configuration.compareWithReference(snapshot.id, in: store)
                        status =
                            report.isClean
                            ? "same"
                            : "differs: "
                                + TextReportRenderer(
                                    formatter: ValueFormatter(secrets: SecretPolicy()), useColor: false
                                ).summary(report)
                    } catch {
                        status = "cannot compare: \(error)"
                    }
                }
                rows.append(
                    [
                        snapshot.id.description, Formatting.timestamp(snapshot.takenAt),
                        String(snapshot.fileCount),
                        Formatting.size(snapshot.totalSize),
                        marks.isEmpty ? "-" : marks.joined(separator: ", "),
                    ] + (noStatus ? [] : [status]))
            }
            if snapshots.isEmpty {
                Terminal.writeOutput("no snapshots in \(configuration.databasePath)\n")
            } else {
                Terminal.writeOutput(Formatting.table(rows))
            }
        }
    }
}
