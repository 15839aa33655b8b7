import Foundation
import TOML
import TestSupport
import Testing

@testable import DriftConfig

/// `[store] signing_key` and `[backup]`: read, resolved against the file, and refused when a
/// backup would leave the host unencrypted.
@Suite("[backup] and [store] signing_key")
struct BackupSettingsTests {
    static let recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"

    func parse(_ text: String, file: String = "/etc/kms-drift/kms-drift.toml") throws -> DriftConfiguration {
        let root = try parseTOML(text, file: file)
        return try DriftConfiguration.parse(root, file: file)
    }

    @Test("directory, recipients, keep and the signing key are read; relative paths are the file's")
    func read() throws {
        let configuration = try parse(
            """
            [watch]
            directory = "/etc/kms"
            [store]
            signing_key = "signing.key"
            [backup]
            directory = "/mnt/offsite/kms"
            recipients = ["\(Self.recipient)"]
            keep = 30
            """)
        #expect(configuration.signingKeyPath == "/etc/kms-drift/signing.key")
        let backup = try #require(configuration.backup)
        #expect(backup.directory == "/mnt/offsite/kms")
        #expect(backup.recipients.map(\.description) == [Self.recipient])
        #expect(backup.keep == 30)
        #expect(try parse("[watch]\ndirectory = \"/x\"\n").backup == nil)
    }

    @Test("recipients_file is read as age -R reads it")
    func recipientsFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "backup-settings-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "# the off-site key\n\(Self.recipient)\n".write(
            to: directory.appendingPathComponent("recipients.txt"), atomically: true, encoding: .utf8)
        let configuration = try parse(
            "[watch]\ndirectory = \"/x\"\n[backup]\ndirectory = \"backups\"\nrecipients_file = \"recipients.txt\"\n",
            file: directory.appendingPathComponent("kms-drift.toml").path)
        #expect(configuration.backup?.recipients.map(\.description) == [Self.recipient])
        #expect(configuration.backup?.directory == directory.appendingPathComponent("backups").path)
        #expect(configuration.backup?.keep == 10)
    }

    @Test(
        "mistakes are located and explained",
        arguments: [
            (
                "[watch]\ndirectory = \"/x\"\n[backup]\ndirectory = \"/b\"\n",
                "invalid `backup.recipients`: a backup leaves the host, so it is always encrypted"
            ),
            (
                "[watch]\ndirectory = \"/x\"\n[backup]\ndirectory = \"/b\"\nrecipients = [\"age1nope\"]\n",
                "kms-drift.toml:5:14: invalid `backup.recipients`: \"age1nope\" is not an age recipient"
            ),
            (
                "[watch]\ndirectory = \"/x\"\n[backup]\nrecipients = [\"\(recipient)\"]\n",
                "missing key `backup.directory`"
            ),
            (
                "[watch]\ndirectory = \"/x\"\n[backup]\ndirectory = \"/b\"\nrecipients_file = \"/nonexistent\"\n",
                "invalid `backup.recipients_file`: cannot read /nonexistent"
            ),
            (
                "[watch]\ndirectory = \"/x\"\n[backup]\ndirectory = \"/b\"\nrecipient = [\"\(recipient)\"]\n",
                "unknown key `recipient` in [backup] (did you mean `recipients`?)"
            ),
        ])
    func mistakes(text: String, message: String) {
        do {
            _ = try parse(text, file: "kms-drift.toml")
            Issue.record("expected an error containing \(message)")
        } catch {
            #expect("\(error)".contains(message), "got: \(error)")
        }
    }
}
