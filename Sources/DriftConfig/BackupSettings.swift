import Age
import FileSystem

/// `[backup]`: where the daemon and the one-shot write encrypted exports of the history, to
/// whom they are encrypted, and how many are kept. The guide's `backup-config.sh`, with age in
/// place of `openssl enc`.
package struct BackupSettings: Sendable, Equatable {
    /// An off-host directory (an NFS or object-storage mount).
    package var directory: String
    /// `recipients` and the lines of `recipients_file`: at least one; a backup leaves the host,
    /// so it is never written unencrypted.
    package var recipients: [AgeRecipient]
    /// Exports kept in `directory` (default 10, the guide's number).
    package var keep: Int

    package init(directory: String, recipients: [AgeRecipient], keep: Int = 10) {
        self.directory = directory
        self.recipients = recipients
        self.keep = keep
    }

    /// Reads the `[backup]` table; `nil` when it has no `directory` (no backups).
    static func parse(_ table: inout ConfigurationReader, resolve: (String) -> String)
        throws(DriftConfigurationError) -> BackupSettings?
    {
        let directory = try table.string("directory")
        let inline = try table.strings("recipients") ?? []
        let file = try table.string("recipients_file")
        let keep = try table.integer("keep", range: 1...100_000) ?? 10
        // Unknown keys first: `recipient = […]` must say "did you mean", not "no recipients".
        try table.rejectUnknownKeys()
        guard let directory else {
            if !inline.isEmpty || file != nil {
                throw DriftConfigurationError(
                    file: table.file, line: table.table.location.line, column: table.table.location.column,
                    reason: .missingKey("backup.directory"))
            }
            return nil
        }
        var recipients: [AgeRecipient] = []
        for text in inline {
            do {
                recipients.append(try AgeRecipient(parsing: text))
            } catch {
                throw table.invalid("recipients", error.description)
            }
        }
        if let file {
            let path = resolve(file)
            do {
                let bytes = try FileContents.read(path)
                recipients += try AgeRecipient.parseFile(String(decoding: bytes, as: UTF8.self), source: path)
            } catch let error as AgeError {
                throw table.invalid("recipients_file", "\(path): \(error.description)")
            } catch {
                throw table.invalid("recipients_file", "cannot read \(path): \(error)")
            }
        }
        guard !recipients.isEmpty else {
            throw table.invalid(
                "recipients",
                "a backup leaves the host, so it is always encrypted: give recipients = [\"age1…\"] or recipients_file"
            )
        }
        return BackupSettings(directory: resolve(directory), recipients: recipients, keep: Int(keep))
    }
}
