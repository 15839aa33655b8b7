import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Drift is never silently accepted and the history never silently exposed: a lost baseline,
/// loose permissions, a database inside the watched directory, directories no one should watch.
@Suite("kms-drift snapshot and daemon: what they refuse", .temporaryDirectory)
struct StoreSafetyCommandTests {
    let root: URL
    var watched: URL { root.appendingPathComponent("watched") }
    var database: String { root.appendingPathComponent("history.db").path }

    init() throws {
        root = try TemporaryDirectory.current().url
        try writeFile("[service]\nport = 50100\n", to: watched.appendingPathComponent("kms-server.toml"))
    }

    @Test(
        "a store with snapshots but no baseline: an error event and exit 2 saying `baseline set`, never a new baseline"
    )
    func missingBaseline() throws {
        let first = try CLI.run(["snapshot", "--dir", watched.path, "--db", database])
        #expect(first.status == 0)
        #expect(first.stdout.contains("became the baseline"), "an empty store sets its own baseline")
        #expect(sqlite(database, "DELETE FROM baseline") == 0)
        try writeFile("[service]\nport = 6666\n", to: watched.appendingPathComponent("kms-server.toml"))
        let drifted = try CLI.run(["snapshot", "--dir", watched.path, "--db", database])
        #expect(drifted.status == 2)
        #expect(!drifted.stdout.contains("became the baseline"))
        #expect(drifted.stderr.contains("event=error"), "\(drifted.stderr)")
        #expect(drifted.stderr.contains("kms-drift baseline set"))
        #expect(!drifted.stderr.contains("event=recovered"))
        // Still refused on the next run: the drifted state did not become the reference.
        #expect(try CLI.run(["snapshot", "--dir", watched.path, "--db", database]).status == 2)
        #expect(
            try CLI.run(["baseline", "set", "1", "--reason", "restore the agreed state", "--db", database])
                .status == 0)
        #expect(try CLI.run(["snapshot", "--dir", watched.path, "--db", database]).status == 1)
    }

    @Test("an existing 0644 database, -wal, -shm and event log are made owner-only, and the output says so")
    func loosePermissions() throws {
        #expect(try CLI.run(["snapshot", "--dir", watched.path, "--db", database]).status == 0)
        let events = root.appendingPathComponent("events.jsonl").path
        _ = FileManager.default.createFile(atPath: events, contents: nil)
        for file in [database, database + "-wal", database + "-shm", events] {
            if !FileManager.default.fileExists(atPath: file) {
                _ = FileManager.default.createFile(atPath: file, contents: nil)
            }
            #expect(chmod(file, 0o644) == 0)
        }
        let listed = try CLI.run(["list", "--db", database, "--no-status"])
        #expect(listed.status == 0)
        for file in [database, database + "-wal", database + "-shm"] {
            #expect(mode(file) == 0o600, "\(file)")
            #expect(
                listed.stderr.contains("warning: \(file) was readable by group or others (mode 0644)"),
                "\(listed.stderr)")
        }
        let config = try writeFile(
            "[watch]\ndirectory = \"\(watched.path)\"\n[store]\ndatabase = \"\(database)\"\n[log]\njson_file = \"\(events)\"\n",
            to: root.appendingPathComponent("kms-drift.toml"))
        try writeFile("[service]\nport = 1\n", to: watched.appendingPathComponent("kms-server.toml"))
        let drift = try CLI.run(["snapshot", "--config", config])
        #expect(drift.status == 1)
        #expect(mode(events) == 0o600)
        #expect(drift.stderr.contains("\(events) was readable by group or others"), "\(drift.stderr)")
    }

    @Test("a database inside the watched directory is refused at start, by snapshot and daemon")
    func databaseInside() throws {
        let inside = watched.appendingPathComponent("inside.db").path
        for command in ["snapshot", "daemon"] {
            let result = try BoundedRun.run([command, "--dir", watched.path, "--db", inside])
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("the database \(inside) is inside it"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: inside))
        // An event log inside it too.
        let config = try writeFile(
            "[watch]\ndirectory = \"\(watched.path)/\"\n[store]\ndatabase = \"\(database)\"\n[log]\njson_file = \"\(watched.path)/events.jsonl\"\n",
            to: root.appendingPathComponent("kms-drift.toml"))
        let result = try CLI.run(["snapshot", "--config", config])
        #expect(result.status == 2)
        #expect(result.stderr.contains("event log"))
    }

    @Test(
        "/, /proc, /sys, /dev and below are refused before anything is read",
        arguments: ["/", "/proc", "/sys/kernel", "/dev", "/proc/self/"])
    func refusedRoots(directory: String) throws {
        for command in ["snapshot", "daemon"] {
            let result = try BoundedRun.run([command, "--dir", directory, "--db", database], timeout: 10)
            #expect(result.status == 2, "\(command) \(directory): \(result.stderr)")
            #expect(result.stderr.contains("refusing to watch"))
            #expect(result.seconds < 5)
        }
    }

    @Test(
        "procfs mounted inside the watched directory is reported and never entered", .enabled(if: canMount()))
    func pseudoFileSystemInside() throws {
        let mountPoint = watched.appendingPathComponent("proc").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        #expect(mount("proc", mountPoint, "proc", 0, nil) == 0)
        defer { umount(mountPoint) }
        let result = try BoundedRun.run(["snapshot", "--dir", watched.path, "--db", database])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("skipped proc: procfs mount, not entered"), "\(result.stdout)")
        #expect(result.stdout.contains("snapshot #1: 1 files"))
    }

    private func mode(_ path: String) -> mode_t {
        var status = stat()
        stat(path, &status)
        return status.st_mode & 0o7777
    }
}

/// True when this process may mount file systems (root with CAP_SYS_ADMIN, as in this CI).
func canMount() -> Bool {
    let directory = "/tmp/kms-drift-mount-probe-\(getpid())"
    mkdir(directory, 0o700)
    defer { rmdir(directory) }
    guard mount("proc", directory, "proc", 0, nil) == 0 else { return false }
    umount(directory)
    return true
}
