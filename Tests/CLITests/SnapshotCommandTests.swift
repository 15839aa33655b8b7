import Foundation
import TestSupport
import Testing

/// The history commands end to end: snapshot, list, show, diff, restore, baseline, pin, verify.
@Suite("kms-drift snapshot and the history commands", .temporaryDirectory)
struct SnapshotCommandTests {
    let root: URL
    var watched: URL { root.appendingPathComponent("watched") }
    var database: String { root.appendingPathComponent("history.db").path }

    init() throws {
        root = try TemporaryDirectory.current().url
        try writeFile(
            "[service]\nlisten_port = 50100\n[threshold]\nthreshold = 4\n",
            to: watched.appendingPathComponent("kms-server.toml"))
        try writeFile(
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            to: watched.appendingPathComponent("certs/ca.pem"))
    }

    func kms(_ arguments: [String]) throws -> ProcessResult {
        try CLI.run(arguments + ["--db", database])
    }

    @Test(
        "first snapshot becomes the baseline; drift exits 1; the same drift again still exits 1; revert exits 0"
    )
    func cycle() throws {
        let first = try kms(["snapshot", "--dir", watched.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("snapshot #1: 2 files"))
        #expect(first.stdout.contains("became the baseline"))
        let attributes = try FileManager.default.attributesOfItem(atPath: database)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        try writeFile(
            "[service]\nlisten_port = 50101\n[threshold]\nthreshold = 4\n",
            to: watched.appendingPathComponent("kms-server.toml"))
        let drifted = try kms(["snapshot", "--dir", watched.path])
        #expect(drifted.status == 1)
        #expect(drifted.stdout.contains("service.listen_port  50100 → 50101"))
        #expect(drifted.stdout.contains("compared with the baseline: 1 difference: 1 warning"))

        // The same drift again: still drift, and no new snapshot (a snapshot is a distinct state).
        let again = try kms(["snapshot", "--dir", watched.path])
        #expect(again.status == 1)
        #expect(again.stdout.contains("unchanged since snapshot #2: 2 files (0 read, 2 unchanged)"))

        try writeFile(
            "[threshold]\nthreshold = 4\n[service]\nlisten_port = 50_100\n",
            to: watched.appendingPathComponent("kms-server.toml"))
        let reverted = try kms(["snapshot", "--dir", watched.path])
        #expect(reverted.status == 0)
        #expect(reverted.stdout.contains("no differences"))

        let list = try kms(["list"])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[3].contains("baseline (first snapshot of an empty store)"))
        #expect(lines[1].hasPrefix("#3") && lines[1].hasSuffix("same"))
        #expect(lines[2].contains("differs: 1 difference: 1 warning"))
        #expect(lines.last?.hasPrefix("checked ") == true)

        let diff = try kms(["diff", "1", "2", "--format", "json"])
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("\"path\": \"service.listen_port\""))
        #expect(try kms(["diff", "1", "3"]).status == 0)

        let show = try kms(["show", "2", "kms-server.toml"])
        #expect(show.stdout == "[service]\nlisten_port = 50101\n[threshold]\nthreshold = 4\n")
        let files = try kms(["show", "latest"])
        #expect(files.stdout.contains("certs/ca.pem"))
        #expect(try kms(["verify"]).status == 0)
    }

    @Test("baseline set keeps the reason; pin protects from rotation; unknown snapshot exits 2")
    func baselineAndPin() throws {
        #expect(try kms(["snapshot", "--dir", watched.path]).status == 0)
        try writeFile("[service]\nlisten_port = 1\n", to: watched.appendingPathComponent("kms-server.toml"))
        #expect(try kms(["snapshot", "--dir", watched.path]).status == 1)
        let accepted = try kms(["baseline", "set", "latest", "--reason", "CHG-42 new port"])
        #expect(accepted.status == 0)
        #expect(accepted.stdout.contains("snapshot #2 is now the baseline"))
        #expect(try kms(["snapshot", "--dir", watched.path]).status == 0)
        #expect(try kms(["list"]).stdout.contains("baseline (CHG-42 new port)"))
        #expect(try kms(["pin", "#1"]).stdout == "snapshot #1 is pinned\n")
        #expect(try kms(["list"]).stdout.contains("pinned"))
        #expect(try kms(["unpin", "#1"]).stdout == "snapshot #1 is no longer pinned\n")
        let missing = try kms(["pin", "#99"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("#99"))
    }

    @Test("rotation keeps the newest 10 plus the baseline and a pinned snapshot")
    func rotation() throws {
        for value in 0..<14 {
            try writeFile(
                "[service]\nlisten_port = \(50_000 + value)\n",
                to: watched.appendingPathComponent("kms-server.toml"))
            _ = try kms(["snapshot", "--dir", watched.path])
            if value == 2 { #expect(try kms(["pin", "latest"]).status == 0) }
        }
        let ids = try kms(["list"]).stdout.split(separator: "\n").filter { $0.hasPrefix("#") }.compactMap {
            $0.split(separator: " ").first
        }
        #expect(ids.count == 12)
        #expect(ids.contains("#1"))  // baseline
        #expect(ids.contains("#3"))  // pinned
        #expect(!ids.contains("#2"))
        #expect(ids.first == "#14")
    }

    @Test("restore round trip: bytes, modes and symlinks; a snapshot of the current state is taken first")
    func restore() throws {
        let files = FileManager.default
        try Data([0, 1, 2, 255, 0, 7]).write(to: watched.appendingPathComponent("blob.bin"))
        try Data().write(to: watched.appendingPathComponent("empty"))
        try writeFile("ü\n", to: watched.appendingPathComponent("dir with space/naïve 'quoted' $(x).toml"))
        try files.setAttributes(
            [.posixPermissions: 0o600], ofItemAtPath: watched.appendingPathComponent("blob.bin").path)
        try files.setAttributes(
            [.posixPermissions: 0o755], ofItemAtPath: watched.appendingPathComponent("empty").path)
        try files.createSymbolicLink(
            atPath: watched.appendingPathComponent("current").path, withDestinationPath: "kms-server.toml")
        #expect(try kms(["snapshot", "--dir", watched.path]).status == 0)

        // Damage the watched directory, then restore in place.
        try writeFile("broken = true\n", to: watched.appendingPathComponent("kms-server.toml"))
        try files.removeItem(at: watched.appendingPathComponent("blob.bin"))
        let dryRun = try kms(["restore", "1", "--dir", watched.path, "--dry-run"])
        #expect(dryRun.status == 0)
        #expect(dryRun.stdout.contains("would restore"))
        #expect(!files.fileExists(atPath: watched.appendingPathComponent("blob.bin").path))
        let restored = try kms(["restore", "1", "--dir", watched.path])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("saved the current state as snapshot #2"))
        #expect(
            try Data(contentsOf: watched.appendingPathComponent("blob.bin")) == Data([0, 1, 2, 255, 0, 7]))
        #expect(
            try String(contentsOf: watched.appendingPathComponent("kms-server.toml"), encoding: .utf8)
                .contains("50100"))
        #expect(
            (try files.attributesOfItem(atPath: watched.appendingPathComponent("blob.bin").path)[
                .posixPermissions] as? Int) == 0o600)
        #expect(
            (try files.attributesOfItem(atPath: watched.appendingPathComponent("empty").path)[
                .posixPermissions] as? Int) == 0o755)
        #expect(
            try files.destinationOfSymbolicLink(atPath: watched.appendingPathComponent("current").path)
                == "kms-server.toml")
        #expect(try kms(["diff", "1", "2"]).status == 1, "the damaged state was kept as snapshot #2")

        // Restore elsewhere: the whole tree, byte for byte.
        let copy = root.appendingPathComponent("copy")
        #expect(try kms(["restore", "1", "--to", copy.path]).status == 0)
        let check = try CLI.run(["check", watched.path, copy.path])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(
            try String(
                contentsOf: copy.appendingPathComponent("dir with space/naïve 'quoted' $(x).toml"),
                encoding: .utf8) == "ü\n")
    }
}

@Suite("The README's main job", .temporaryDirectory)
struct DemoTests {
    @Test("snapshot --config config/demo.toml reports the demo's four changes and exits 1")
    func demo() throws {
        let directory = try TemporaryDirectory.current().url
        let database = directory.appendingPathComponent("demo.db").path
        let result = try CLI.run(
            ["snapshot", "--config", "config/demo.toml", "--db", database],
            currentDirectory: TestPaths.packageRoot)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stdout.contains(
                "compared with config/demo/reference: 4 differences: 2 critical, 1 warning, 1 info"))
        #expect(result.stdout.contains("threshold.peers[party_id=3].address"))
        #expect(!result.stdout.contains("minio-secret"))
        let again = try CLI.run(
            ["snapshot", "--config", "config/demo.toml", "--db", database],
            currentDirectory: TestPaths.packageRoot)
        #expect(again.stdout.contains("(0 read, 1 unchanged)"))
    }
}
