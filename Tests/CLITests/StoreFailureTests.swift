import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Bad input around the history: each a clear message and exit 2, and no earlier snapshot lost.
@Suite("kms-drift snapshot: bad input loses nothing", .serialized, .temporaryDirectory)
struct StoreFailureTests {
    let root: URL
    var watched: URL { root.appendingPathComponent("watched") }

    init() throws {
        root = try TemporaryDirectory.current().url
        try writeFile("a = 1\n", to: watched.appendingPathComponent("node.toml"))
    }

    @Test("a missing watched directory")
    func missingDirectory() throws {
        let db = root.appendingPathComponent("h.db").path
        #expect(try CLI.run(["snapshot", "--dir", watched.path, "--db", db]).status == 0)
        let result = try CLI.run(["snapshot", "--dir", root.appendingPathComponent("nope").path, "--db", db])
        #expect(result.status == 2)
        #expect(result.stderr.contains("nope"))
        #expect(result.stderr.contains("No such file or directory"))
        #expect(try CLI.run(["list", "--db", db]).stdout.contains("#1"))
    }

    @Test("a database in a missing directory")
    func missingDatabaseDirectory() throws {
        let result = try CLI.run([
            "snapshot", "--dir", watched.path, "--db", root.appendingPathComponent("no/such/h.db").path,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no/such"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("no").path))
    }

    @Test(
        "a database in a read-only directory",
        .enabled(
            if: Probe.canMount || getuid() != 0,
            "root ignores directory modes, and this process may not make a read-only bind mount"))
    func readOnlyDirectory() throws {
        let directory = root.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Tests run as root here, which ignores directory modes; a read-only bind mount is what
        // really refuses writes. Without mount permission (not root), chmod does it.
        if Probe.canMount {
            try #require(mount(directory.path, directory.path, nil, UInt(MS_BIND), nil) == 0)
            defer { umount(directory.path) }
            try #require(
                mount("none", directory.path, nil, UInt(MS_BIND | MS_REMOUNT | MS_RDONLY), nil) == 0,
                "read-only remount: \(String(cString: strerror(errno)))")
            try expectRefused(in: directory)
        } else {
            chmod(directory.path, 0o555)
            try expectRefused(in: directory)
        }
    }

    private func expectRefused(in directory: URL) throws {
        let result = try CLI.run([
            "snapshot", "--dir", watched.path, "--db", directory.appendingPathComponent("h.db").path,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains(directory.path))
    }

    @Test("a corrupt database file is reported, not overwritten")
    func corruptDatabase() throws {
        let db = root.appendingPathComponent("h.db")
        var generator = SystemRandomNumberGenerator()
        let garbage = Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try garbage.write(to: db)
        let result = try CLI.run(["snapshot", "--dir", watched.path, "--db", db.path])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("not a kms-drift database") || result.stderr.contains("corrupt"),
            "\(result.stderr)")
        #expect(try Data(contentsOf: db) == garbage)
        #expect(try CLI.run(["verify", "--db", db.path]).status == 2)
    }

    @Test(
        "a full disk: the failed snapshot leaves nothing, the earlier one is intact",
        .enabled(if: Probe.canMount, "needs permission to mount a small tmpfs to fill"))
    func fullDisk() throws {
        let small = root.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        try #require(
            mount("tmpfs", small.path, "tmpfs", 0, "size=1m") == 0,
            "mount tmpfs: \(String(cString: strerror(errno)))")
        defer { umount2(small.path, Int32(MNT_DETACH)) }
        let db = small.appendingPathComponent("h.db").path
        #expect(try CLI.run(["snapshot", "--dir", watched.path, "--db", db]).status == 0)
        var generator = SystemRandomNumberGenerator()
        try Data((0..<3_000_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
            .write(to: watched.appendingPathComponent("big.bin"))
        let result = try CLI.run(["snapshot", "--dir", watched.path, "--db", db])
        #expect(result.status == 2)
        #expect(result.stderr.lowercased().contains("disk"), "\(result.stderr)")
        try FileManager.default.removeItem(at: watched.appendingPathComponent("big.bin"))
        let list = try CLI.run(["list", "--db", db])
        #expect(list.stdout.contains("#1"))
        #expect(!list.stdout.contains("#2"))
        #expect(try CLI.run(["verify", "--db", db]).status == 0)
    }

    @Test("a second writer waits for the lock a bounded time, then exits 2 saying so")
    func busy() throws {
        let db = root.appendingPathComponent("h.db").path
        #expect(try CLI.run(["snapshot", "--dir", watched.path, "--db", db]).status == 0)
        let config = try writeFile(
            "[watch]\ndirectory = \"\(watched.path)\"\n[store]\ndatabase = \"\(db)\"\nbusy_timeout_seconds = 1\n",
            to: root.appendingPathComponent("kms-drift.toml"))
        // Another process holds the write lock for 4 seconds.
        let holder = try RunningProcess(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); "
                    + "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(4)",
                db,
            ])
        try #require(holder.waitForOutput(containing: "locked", timeout: 30), "\(holder.stderrSoFar)")
        let start = Date()
        let result = try CLI.run(["snapshot", "--config", config])
        let waited = Date().timeIntervalSince(start)
        _ = try holder.wait()
        #expect(result.status == 2)
        #expect(result.stderr.contains("locked") || result.stderr.contains("busy"), "\(result.stderr)")
        #expect(waited >= 0.9 && waited < 3.5, "waited \(waited) s")
        #expect(try CLI.run(["snapshot", "--config", config]).status == 0)
    }
}
