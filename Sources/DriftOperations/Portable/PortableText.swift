import Backup

/// What `export`, `import` and `rebuild` print.
package enum PortableText {
    /// The summary of an export; it goes to stderr when the archive went to standard output.
    package static func render(_ result: SnapshotExport.Result) -> String {
        let export = result.export
        var line =
            "exported snapshot \(export.snapshot) (\(export.entries) entries, chain=\(export.chainHash)) to "
        switch result.destination {
        case .file(let path): line += path
        case .standardOutput: line += "standard output"
        }
        line += ": \(Formatting.size(export.bytesWritten))"
        line += export.compressed ? ", zstd" : ""
        line += export.encrypted ? ", encrypted to \(result.recipientCount) recipient(s)" : ", NOT encrypted"
        var lines = [line]
        for path in export.contentMissing {
            lines.append(
                "note: \(path) is listed in the manifest, but its content was not stored (only its hash)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    package static func render(_ result: SnapshotImport.Result) -> String {
        let imported = result.imported
        let chain = imported.snapshot.chain.map { "; chain=\($0.chainHash)" } ?? ""
        let signature =
            imported.signatureVerified
            ? "its signature verified with the public key"
            : imported.signed
                ? "it was signed (not checked: give --public-key to check it)" : "it was not signed"
        return "imported \(result.file) as snapshot \(imported.snapshot.id): \(imported.sourceDescription), "
            + "\(imported.snapshot.fileCount) files, every hash checked; \(signature)\(chain)\n"
    }

    package static func render(_ result: NodeRebuildOperation.Result) -> String {
        let outcome = result.outcome
        var lines: [String] = []
        for imported in outcome.imported {
            lines.append(
                "imported \(imported.sourceDescription) (\(imported.sourceChainHash)) as snapshot "
                    + "\(imported.snapshot.id), every hash checked")
        }
        let newest = outcome.newest
        var text = lines.joined(separator: "\n") + "\n"
        text += RestoreText.report(outcome.restore, snapshotName: newest.sourceDescription)
        if outcome.baselineSet {
            text +=
                "snapshot \(newest.snapshot.id) (\(newest.sourceDescription)) is now the baseline: "
                + "the store had none\n"
        }
        return text
    }
}
