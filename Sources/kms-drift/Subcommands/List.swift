import ArgumentParser
import DriftConfig
import DriftCore
import FileSystem
import SnapshotStore

extension KMSDrift {
    /// `kms-drift list`: the history, with marks, metadata and drift status.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List snapshots: id, time, files, size, marks, and whether each differs from the reference.",
            discussion: """
                --long adds what took each snapshot, where (host), with which kms-drift, the note and the \
                chain hash; --format json gives all of it, machine-id and network fingerprint included \
                (schema kms-drift.snapshots/1). Snapshots taken before kms-drift kept metadata read "unknown".
                """)

        @OptionGroup var location: StoreOptions

        @Flag(
            name: .long, help: "Do not compare each snapshot with the reference (faster on a large history).")
        var noStatus = false

        @Flag(name: .long, help: "Also show origin, host, kms-drift version, note and chain hash.")
        var long = false

        @Option(name: .long, help: "Output format: text for people, json for machines.")
        var format: ReportFormat = .text

        func run() throws {
            let configuration = try location.configuration(requireDirectory: false)
            let store = try location.openStore(configuration)
            // With why the configured retention keeps each one: what the next rotation keeps.
            let snapshots = try store.listSnapshots(policy: configuration.retention)
            let links = Dictionary(
                try store.chainLinks().map { ($0.snapshot, $0) }, uniquingKeysWith: { first, _ in first })
            // Each snapshot's comparison was stored when it was taken; only those made against
            // another reference (a moved baseline, a changed reference directory) are computed again.
            let identity: Result<String, any Error>? =
                noStatus || snapshots.isEmpty
                ? nil : Result { try configuration.referenceIdentity(in: store) }
            let stored = identity == nil ? [:] : try store.storedComparisons()
            var statuses: [SnapshotID: String] = [:]
            if let identity {
                for snapshot in snapshots {
                    statuses[snapshot.id] = status(
                        of: snapshot.id, configuration, store, identity: identity, stored: stored)
                }
            }
            if format == .json {
                Terminal.writeOutput(
                    SnapshotListJSON.render(
                        snapshots, links: links, statuses: noStatus ? nil : statuses,
                        database: configuration.databasePath))
                return
            }
            guard !snapshots.isEmpty else {
                Terminal.writeOutput("no snapshots in \(configuration.databasePath)\n")
                return
            }
            var header = ["ID", "TAKEN (UTC)", "FILES", "SIZE", "MARKS", "KEPT BECAUSE"]
            if long { header += ["ORIGIN", "HOST", "VERSION", "CHAIN", "NOTE"] }
            var rows = [header + (noStatus ? [] : ["VS REFERENCE"])]
            for snapshot in snapshots.reversed() {
                var row = [
                    snapshot.id.description, Formatting.timestamp(snapshot.takenAt),
                    String(snapshot.fileCount),
                    Formatting.size(snapshot.totalSize), Self.marks(snapshot),
                    Self.keptBecause(snapshot),
                ]
                if long {
                    let link = links[snapshot.id]
                    let metadata = link?.metadata ?? SnapshotMetadata()
                    row += [
                        metadata.origin.rawValue, metadata.hostName ?? "unknown",
                        metadata.toolVersion ?? "unknown",
                        link.map { "sha256:" + $0.chainHash.hex.prefix(12) } ?? "none",
                        metadata.note.map(Self.oneLine) ?? "-",
                    ]
                }
                rows.append(row + (noStatus ? [] : [statuses[snapshot.id] ?? ""]))
            }
            // Notes, statuses and root paths come from files and people: escaped, never raw.
            Terminal.writeOutput(Formatting.table(rows.map { $0.map(TerminalText.escaped) }))
            if let latest = snapshots.last { Terminal.writeOutput(Self.lastCheck(latest) + "\n") }
        }

        /// `checked 2026-12-06 14:02:05Z, unchanged since #12 (19 cycles found no change)`: what unchanged cycles
        /// recorded, since they store no snapshot.
        static func lastCheck(_ latest: SnapshotSummary) -> String {
            let checked = Formatting.timestamp(latest.checkedAt ?? latest.takenAt)
            guard latest.unchangedChecks > 0 else {
                return "checked \(checked): snapshot \(latest.id) was taken then"
            }
            let cycles = latest.unchangedChecks == 1 ? "1 cycle" : "\(latest.unchangedChecks) cycles"
            return "checked \(checked), unchanged since \(latest.id) (\(cycles) found no change)"
        }

        /// Why rotation keeps a snapshot under the configured retention; `-` when the next rotation
        /// removes it.
        static func keptBecause(_ snapshot: SnapshotSummary) -> String {
            snapshot.keptBecause.isEmpty
                ? "- (rotated out next)" : snapshot.keptBecause.map(\.description).joined(separator: ", ")
        }

        static func marks(_ snapshot: SnapshotSummary) -> String {
            var marks: [String] = []
            if snapshot.isBaseline {
                var mark = "baseline"
                if let reason = snapshot.baselineReason { mark += " (\(reason))" }
                marks.append(mark)
            }
            if snapshot.isPreviousBaseline { marks.append("previous baseline") }
            if snapshot.isPinned { marks.append("pinned") }
            return marks.isEmpty ? "-" : marks.joined(separator: ", ")
        }

        /// A note on one table row: its line breaks shown as `\n`.
        static func oneLine(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n")
        }

        private func status(
            of id: SnapshotID, _ configuration: DriftConfiguration, _ store: SnapshotStore,
            identity: Result<String, any Error>, stored: [SnapshotID: StoredComparison]
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
}

/// `list --format json`, schema `kms-drift.snapshots/1`: one object per held snapshot, newest
/// first, with its marks, metadata (`null` where unknown) and chain hash.
enum SnapshotListJSON {
    static func render(
        _ snapshots: [SnapshotSummary], links: [SnapshotID: ChainLink], statuses: [SnapshotID: String]?,
        database: String
    ) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("schema")
        json.string("kms-drift.snapshots/1")
        json.key("database")
        json.string(database)
        json.key("snapshots")
        json.beginArray()
        for snapshot in snapshots.reversed() {
            let link = links[snapshot.id]
            let metadata = link?.metadata ?? SnapshotMetadata()
            json.beginObject()
            json.key("id")
            json.raw(String(snapshot.id.rawValue))
            json.key("taken_at")
            json.string(
                POSIX.utcTimestamp(seconds: Int64(snapshot.takenAt.timeIntervalSince1970.rounded(.down))))
            json.key("root")
            json.string(snapshot.rootPath)
            json.key("files")
            json.number(snapshot.fileCount)
            json.key("size")
            json.raw(String(snapshot.totalSize))
            json.key("baseline")
            json.raw(snapshot.isBaseline ? "true" : "false")
            json.key("baseline_reason")
            json.optionalString(snapshot.baselineReason)
            json.key("pinned")
            json.raw(snapshot.isPinned ? "true" : "false")
            json.key("previous_baseline")
            json.raw(snapshot.isPreviousBaseline ? "true" : "false")
            json.key("kept_because")
            json.beginArray()
            for reason in snapshot.keptBecause { json.string(reason.description) }
            json.endArray()
            json.key("checked_at")
            json.optionalString(
                snapshot.checkedAt.map {
                    POSIX.utcTimestamp(seconds: Int64($0.timeIntervalSince1970.rounded(.down)))
                })
            json.key("unchanged_checks")
            json.number(snapshot.unchangedChecks)
            json.key("origin")
            json.string(metadata.origin.rawValue)
            json.key("host")
            json.optionalString(metadata.hostName)
            json.key("machine_id")
            json.optionalString(metadata.machineID)
            json.key("version")
            json.optionalString(metadata.toolVersion)
            json.key("note")
            json.optionalString(metadata.note)
            json.key("network_fingerprint")
            json.optionalString(metadata.networkFingerprint)
            json.key("chain")
            json.optionalString(link?.chainHash.description)
            json.key("signed")
            json.raw(link?.signature != nil ? "true" : "false")
            if let statuses {
                json.key("vs_reference")
                json.optionalString(statuses[snapshot.id])
            }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.output + "\n"
    }
}
