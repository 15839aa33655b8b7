import DriftCore
import SnapshotStore

/// `list` for people: a table, newest first, then when the history was last checked.
package enum SnapshotListText {
    /// `long` adds origin, host, kms-drift version, chain hash and note.
    package static func render(_ listing: SnapshotListing.Result, long: Bool) -> String {
        let snapshots = listing.snapshots
        guard !snapshots.isEmpty else { return "no snapshots in \(listing.database)\n" }
        let withStatus = listing.statuses != nil
        var header = ["ID", "TAKEN (UTC)", "FILES", "SIZE", "MARKS", "KEPT BECAUSE"]
        if long { header += ["ORIGIN", "HOST", "VERSION", "CHAIN", "NOTE"] }
        var rows = [header + (withStatus ? ["VS REFERENCE"] : [])]
        for snapshot in snapshots.reversed() {
            var row = [
                snapshot.id.description, Formatting.timestamp(snapshot.takenAt),
                String(snapshot.fileCount),
                Formatting.size(snapshot.totalSize), marks(snapshot),
                keptBecause(snapshot),
            ]
            if long {
                let link = listing.links[snapshot.id]
                let metadata = link?.metadata ?? SnapshotMetadata()
                row += [
                    metadata.origin.rawValue, metadata.hostName ?? "unknown",
                    metadata.toolVersion ?? "unknown",
                    link.map { "sha256:" + $0.chainHash.hex.prefix(12) } ?? "none",
                    metadata.note.map(oneLine) ?? "-",
                ]
            }
            rows.append(row + (withStatus ? [listing.statuses?[snapshot.id] ?? ""] : []))
        }
        // Notes, statuses and root paths come from files and people: escaped, never raw.
        var text = Formatting.table(rows.map { $0.map(TerminalText.escaped) })
        if let latest = snapshots.last { text += lastCheck(latest) + "\n" }
        return text
    }

    /// `checked 2026-12-06 14:02:05Z, unchanged since #12 (19 cycles found no change)`: what unchanged cycles
    /// recorded, since they store no snapshot.
    package static func lastCheck(_ latest: SnapshotSummary) -> String {
        let checked = Formatting.timestamp(latest.checkedAt ?? latest.takenAt)
        guard latest.unchangedChecks > 0 else {
            return "checked \(checked): snapshot \(latest.id) was taken then"
        }
        let cycles = latest.unchangedChecks == 1 ? "1 cycle" : "\(latest.unchangedChecks) cycles"
        return "checked \(checked), unchanged since \(latest.id) (\(cycles) found no change)"
    }

    /// Why rotation keeps a snapshot under the configured retention; `-` when the next rotation
    /// removes it.
    package static func keptBecause(_ snapshot: SnapshotSummary) -> String {
        snapshot.keptBecause.isEmpty
            ? "- (rotated out next)" : snapshot.keptBecause.map(\.description).joined(separator: ", ")
    }

    package static func marks(_ snapshot: SnapshotSummary) -> String {
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
    package static func oneLine(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n")
    }
}
