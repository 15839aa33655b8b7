import SnapshotStore

/// What `baseline`, `pin` and `unpin` print.
package enum BaselineText {
    package static func render(_ result: BaselineChange.Result) -> String {
        switch result {
        case .taken(let snapshot, let reason):
            let chain = snapshot.chain.map { "; chain=\($0.chainHash)" } ?? ""
            return
                "snapshot \(snapshot.id) (\(snapshot.fileCount) files) is now the baseline: \(reason)\(chain)\n"
        case .set(let id, let reason, let previous):
            var line = "snapshot \(id) is now the baseline: \(reason)"
            if let previous {
                line +=
                    "\nthe previous baseline \(previous) is kept until the next accept "
                    + "(kms-drift restore previous-baseline puts it back)"
            }
            return line + "\n"
        }
    }

    package static func render(_ result: PinChange.Result) -> String {
        "snapshot \(result.snapshot) is \(result.pinned ? "pinned" : "no longer pinned")\n"
    }
}
