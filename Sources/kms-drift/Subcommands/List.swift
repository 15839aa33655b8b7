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
            // Each snapshot's comparison was stored when it was taken; only those made against
            // another reference (a moved baseline, a changed reference directory) are computed again.
            let identity: Result<String, any Error>? =
                noStatus || snapshots.isEmpty ? nil : Result { try configuration.referenceIdentity(in: store) }
            let stored = identity == nil ? [:] : try store.storedComparisons()
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
                if let identity {
                    do {
                        let comparison = try configuration.comparisonWithReference(
                            of: snapshot.id, in: store, identity: try identity.get(), stored: stored)
                        status =
                            comparison.changeCount == 0
                            ? "same"
                            : "differs: "
                                + TextReportRenderer.summary(
                                    changeCount: comparison.changeCount, counts: comparison.countsBySeverity)
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
