import Foundation
import TestSupport
import Testing

/// `daemon --check-config`, which the unit's ExecReload runs before SIGHUP: `systemctl reload`
/// fails (non-zero) on a bad file instead of succeeding while the daemon keeps the old one.
@Suite("kms-drift daemon --check-config (ExecReload)", .temporaryDirectory)
struct ReloadCheckCommandTests {
    @Test("a good file exits 0 without starting a daemon; a bad one exits 2 with file:line:column")
    func checkConfig() throws {
        let directory = try TemporaryDirectory.current()
        try directory.write("watched/a.toml", "a = 1\n")
        try directory.write(
            "kms-drift.toml", "[watch]\ndirectory = \"watched\"\n[store]\ndatabase = \"h.db\"\n")
        let good = try CLI.run(
            ["daemon", "--config", "kms-drift.toml", "--check-config"], currentDirectory: directory.url)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("kms-drift.toml: the configuration can be used"), "\(good.stdout)")
        #expect(
            !FileManager.default.fileExists(atPath: directory.path("h.db")),
            "no daemon ran, no store was made")

        try directory.write(
            "kms-drift.toml", "[watch]\ndirectory = \"watched\"\n[schedule]\ninterval_seconds = \"often\"\n")
        let bad = try CLI.run(
            ["daemon", "--config", "kms-drift.toml", "--check-config"], currentDirectory: directory.url)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("kms-drift.toml:4:"), "\(bad.stderr)")
    }
}
