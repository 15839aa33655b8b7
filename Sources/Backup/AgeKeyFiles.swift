import Age
import FileSystem

/// Reads the age key files an operator names (`--recipients-file`, `--identity`, `[backup]
/// recipients_file`): the formats `age -R` and `age -i` read.
package enum AgeKeyFiles {
    package static func recipients(file path: String) throws -> [AgeRecipient] {
        let recipients = try AgeRecipient.parseFile(try text(of: path), source: path)
        guard !recipients.isEmpty else {
            throw BackupError.cannotRead(path: path, reason: "it holds no recipient (a line age1…)")
        }
        return recipients
    }

    package static func identities(file path: String) throws -> [AgeIdentity] {
        try AgeIdentity.parseFile(try text(of: path), source: path)
    }

    private static func text(of path: String) throws -> String {
        do {
            return String(decoding: try FileContents.read(path), as: UTF8.self)
        } catch {
            throw BackupError.cannotRead(path: path, reason: error.description)
        }
    }
}
