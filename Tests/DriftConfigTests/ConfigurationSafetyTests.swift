import Foundation
import TOML
import TestSupport
import Testing

@testable import DriftConfig

/// Mistakes that used to be accepted at load and failed later, every cycle.
@Suite("The configuration file: refused at load, not at every cycle")
struct ConfigurationSafetyTests {
    func parse(_ text: String) throws -> DriftConfiguration {
        let root = try parseTOML(text, file: "kms-drift.toml")
        return try DriftConfiguration.parse(root, file: "kms-drift.toml")
    }

    static let mistakes: [(text: String, message: String)] = [
        (
            "[watch]\ndirectory = \"/x\"\n[[hooks]]\nname = \"pager\"\ncommand = [\"/bin/true\"]\n"
                + "[[hooks]]\nname = \"pager\"\ncommand = [\"/bin/false\"]\n",
            "\"pager\" is already the name of hook 1"
        ),
        (
            "[watch]\ndirectory = \"/etc/kms\"\n[validate]\nkms_config = \"/etc/kms/kms-server.toml\"\n",
            "absolute path; it must name a file inside [watch] directory (/etc/kms), relative to it; write it relative to it: \"kms-server.toml\""
        ),
        (
            "[watch]\ndirectory = \"/etc/kms\"\n[validate]\nkms_config = \"../other/kms-server.toml\"\n",
            "is not a plain path inside [watch] directory"
        ),
        ("[watch]\ndirectory = \"/etc/kms\"\n[validate]\nkms_config = \"\"\n", "is not a plain path"),
    ]

    @Test("duplicate hook names and a kms_config outside the watched directory", arguments: mistakes)
    func refused(text: String, message: String) {
        do {
            _ = try parse(text)
            Issue.record("expected an error containing \(message)")
        } catch {
            #expect("\(error)".contains(message), "got: \(error)")
        }
    }

    @Test("a config file that is a FIFO or a device is refused at once, never waited on")
    func fifoConfiguration() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kms-drift-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("kms-drift.toml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for path in [fifo, "/dev/zero"] {
            #expect {
                try DriftConfiguration.load(from: path)
            } throws: { error in
                "\(error)".contains("not a regular file")
            }
        }
    }

    @Test("a secret in the daemon's own config never reaches a parse error")
    func secretInConfig() {
        let text =
            "[watch]\ndirectory = \"/x\"\n[[hooks]]\ncommand = [\"/bin/true\"]\nenvironment = { PAGER_TOKEN = 9f8e7d6c5b4a }\n"
        let root: TOMLTable
        do {
            root = try parseTOML(text, file: "kms-drift.toml")
            _ = root
            Issue.record("expected a parse error")
        } catch {
            #expect(error.valueKeyPath == ["hooks", "environment", "PAGER_TOKEN"])
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kms-drift-\(UUID()).toml")
        _ = FileManager.default.createFile(atPath: directory.path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect {
            try DriftConfiguration.load(from: directory.path)
        } throws: { error in
            !"\(error)".contains("9f8e7d6c5b4a") && "\(error)".contains(":5:")
        }
    }
}
