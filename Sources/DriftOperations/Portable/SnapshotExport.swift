import Age
import Backup
import DriftConfig
import SnapshotStore

/// `export SNAP`: a snapshot as a portable archive (tar, zstd, age), named by the store's identity
/// unless `output` says where.
package struct SnapshotExport: Sendable {
    package let configuration: DriftConfiguration
    package let snapshot: SnapshotReference
    /// `--output`: a file, `-` for standard output, `nil` for the default name in the working directory.
    package var output: String? = nil
    /// `--recipient`: age recipients as typed (age1…).
    package var recipients: [String] = []
    /// `--recipients-file`: files of age recipients, one per line.
    package var recipientFiles: [String] = []
    /// `--plain`: write an unencrypted archive although the snapshot holds secrets.
    package var allowPlainSecrets = false
    package var compress = true

    package init(configuration: DriftConfiguration, snapshot: SnapshotReference) {
        self.configuration = configuration
        self.snapshot = snapshot
    }

    /// What was written, and where.
    package struct Result: Sendable {
        package let export: ExportResult
        package let destination: ExportDestination
        package let recipientCount: Int

        /// True when the archive went to standard output: its summary then goes to standard error.
        package var isOnStandardOutput: Bool { destination == .standardOutput }

        package var exitStatus: ExitStatus { .nothingToReport }
    }

    /// Reads the recipients first, then opens the history with `openStore` and writes the archive.
    package func run(openStore: () throws -> SnapshotStore) throws -> Result {
        var recipients = try self.recipients.map { text throws(AgeError) in try AgeRecipient(parsing: text) }
        for file in recipientFiles { recipients += try AgeKeyFiles.recipients(file: file) }
        let options = ExportOptions(
            recipients: recipients, compress: compress, allowPlainSecrets: allowPlainSecrets)
        let store = try openStore()
        let destination: ExportDestination
        if output == "-" {
            destination = .standardOutput
        } else if let output {
            destination = .file(output)
        } else {
            guard let link = try store.chainLink(of: snapshot) else {
                throw OperationError("snapshot \(snapshot) has no chain link; run kms-drift verify")
            }
            destination = .file(
                SnapshotExporter.fileName(for: link, store: try store.storeIdentity(), options: options))
        }
        let result = try SnapshotExporter.export(snapshot, from: store, to: destination, options: options)
        return Result(export: result, destination: destination, recipientCount: recipients.count)
    }
}

/// `import FILE`: an export checked completely and added to the history as a new snapshot.
package struct SnapshotImport: Sendable {
    package let configuration: DriftConfiguration
    /// The export file, or `-` for standard input.
    package let file: String
    /// `--identity`: age identity files that decrypt it.
    package var identityFiles: [String] = []
    /// `--note`: kept with the imported snapshot.
    package var note: String? = nil
    /// `--public-key`: refuse the export unless its link is signed with this key.
    package var publicKeyPath: String? = nil

    package init(configuration: DriftConfiguration, file: String) {
        self.configuration = configuration
        self.file = file
    }

    package struct Result: Sendable {
        package let file: String
        package let imported: ImportResult

        /// 0 imported; a refused export throws (2, nothing added).
        package var exitStatus: ExitStatus { .nothingToReport }
    }

    /// Reads the keys first, then opens the history with `openStore` and imports.
    package func run(openStore: () throws -> SnapshotStore) throws -> Result {
        var identities: [AgeIdentity] = []
        for path in identityFiles { identities += try AgeKeyFiles.identities(file: path) }
        let signingKey = try configuration.signingKeyPath.map { path throws(ChainKeyError) in
            try ChainSigningKey.load(path: path)
        }
        let publicKey = try publicKeyPath.map { path throws(ChainKeyError) in
            try ChainPublicKey.load(path: path)
        }
        let store = try openStore()
        let result = try SnapshotImporter.importSnapshot(
            from: file, identities: identities, into: store, note: note, signingKey: signingKey,
            checks: ImportChecks(maximumFileSize: configuration.maximumStoredFileSize, publicKey: publicKey))
        return Result(file: file, imported: result)
    }
}

/// `rebuild EXPORT…`: a node brought back from its exports: imported oldest first, the newest
/// restored into the watched directory, and made the baseline when the store has none.
package struct NodeRebuildOperation: Sendable {
    package let configuration: DriftConfiguration
    package let exports: [String]
    package var identityFiles: [String] = []
    package var keepSpecialBits = false

    package init(configuration: DriftConfiguration, exports: [String]) {
        self.configuration = configuration
        self.exports = exports
    }

    package struct Result: Sendable {
        package let outcome: NodeRebuild.Outcome

        /// 0 rebuilt, 2 the restore of the newest export was not complete.
        package var exitStatus: ExitStatus { .failure(if: !outcome.restore.isComplete) }
    }

    /// Reads the keys first, then opens the history with `openStore` and rebuilds into it.
    package func run(openStore: () throws -> SnapshotStore) throws -> Result {
        var identities: [AgeIdentity] = []
        for path in identityFiles { identities += try AgeKeyFiles.identities(file: path) }
        let signingKey = try configuration.signingKeyPath.map { path throws(ChainKeyError) in
            try ChainSigningKey.load(path: path)
        }
        let store = try openStore()
        let rebuild = NodeRebuild(
            exports: exports, identities: identities, directory: configuration.watchedDirectory,
            checks: ImportChecks(maximumFileSize: configuration.maximumStoredFileSize),
            keepSpecialBits: keepSpecialBits, signingKey: signingKey)
        return Result(outcome: try rebuild.run(into: store))
    }
}

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
