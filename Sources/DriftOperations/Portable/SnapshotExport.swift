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
