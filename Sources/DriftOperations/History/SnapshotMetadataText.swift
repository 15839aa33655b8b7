import SnapshotStore

/// The lines `show` prints above a snapshot's files: where, by what and why it was taken, and
/// its chain link. Unknown values (snapshots from before kms-drift kept metadata) say so.
package enum SnapshotMetadataText {
    package static func lines(_ snapshot: SnapshotSummary, link: ChainLink?) -> String {
        let metadata = link?.metadata ?? SnapshotMetadata()
        var lines = [
            "snapshot \(snapshot.id) of \(snapshot.rootPath), taken \(Formatting.timestamp(snapshot.takenAt))"
        ]
        lines.append(
            "taken by: \(metadata.origin.rawValue) on \(metadata.hostName ?? "unknown host") "
                + "(machine-id \(metadata.machineID ?? "unknown")), kms-drift \(metadata.toolVersion ?? "unknown")"
        )
        if let note = metadata.note { lines.append("note: \(SnapshotListText.oneLine(note))") }
        lines.append("network fingerprint: \(metadata.networkFingerprint ?? "unknown")")
        if let link {
            lines.append("chain: \(link.chainHash)\(link.signature != nil ? " (signed)" : "")")
        } else {
            lines.append("chain: none (the link is missing: run kms-drift verify)")
        }
        return lines.joined(separator: "\n") + "\n\n"
    }
}
