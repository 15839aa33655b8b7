import Foundation
import Glibc
import TestSupport
import Testing

@testable import SnapshotStore

/// Mounts a tmpfs for one test; only called when `Probe.canMount` said the process may.
private func mountTmpfs(at path: String, options: String) throws {
    mkdir(path, 0o700)
    let result = try runProcess("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", path])
    try #require(result.status == 0, "mount -t tmpfs failed: \(result.stderr)")
}

private func unmount(_ path: String) {
    _ = try? runProcess("/bin/umount", [path])
}

@Suite("Database files, errors an operator can act on", .temporaryDirectory)
struct DatabaseErrorTests {
    @Test("the database and its -wal/-shm files are created 0600 whatever the umask")
    func permissions() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a.toml", "a = 1\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        try store.takeSnapshot(of: temp.path("tree"))
        #expect(temp.mode("history.db") == 0o600)
        #expect(temp.mode("history.db-wal") == 0o600)
        #expect(temp.mode("history.db-shm") == 0o600)
        #expect(try store.database.prepare("PRAGMA journal_mode").firstRow { $0.text(0) } == "wal")
        #expect(try store.integer("PRAGMA foreign_keys") == 1)
    }

    @Test("a database path in a missing directory is an error naming it; nothing is created")
    func missingDirectory() throws {
        let temp = try TemporaryDirectory.current()
        #expect {
            try SnapshotStore(path: temp.path("no/such/dir/history.db"))
        } throws: { error in
            guard case SnapshotStoreError.databaseDirectoryMissing(let path) = error else { return false }
            return path == temp.path("no/such/dir") && "\(error)".contains(path)
        }
        #expect(access(temp.path("no"), F_OK) != 0)
    }

    @Test("a file of random bytes is reported as not a kms-drift database, not a crash")
    func corruptFile() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("history.db", randomBytes(8192), mode: 0o600)
        #expect {
            try SnapshotStore(path: temp.path("history.db"))
        } throws: { error in
            guard case SnapshotStoreError.notADatabase = error else { return false }
            return "\(error)".contains("is not a kms-drift database or is corrupt (file is not a database)")
        }
        #expect(try temp.read("history.db") == randomBytes(8192))
    }

    @Test("another application's SQLite file is refused rather than written into")
    func foreignDatabase() throws {
        let temp = try TemporaryDirectory.current()
        do {
            let other = try Database(path: temp.path("other.db"), busyTimeoutMilliseconds: 100)
            try other.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY)")
        }
        #expect(throws: SnapshotStoreError.self) { try SnapshotStore(path: temp.path("other.db")) }
    }

    @Test("an empty database at user_version 0 is migrated to the current schema")
    func migratesVersionZero() throws {
        let temp = try TemporaryDirectory.current()
        do {
            let empty = try Database(path: temp.path("history.db"), busyTimeoutMilliseconds: 100)
            #expect(try empty.scalarInt64("PRAGMA user_version") == 0)
        }
        let store = try SnapshotStore(path: temp.path("history.db"))
        #expect(try store.integer("PRAGMA user_version") == Int64(SnapshotStore.schemaVersion))
        #expect(try store.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'blobs'") == 1)
        // Opening again is a no-op.
        let again = try SnapshotStore(path: temp.path("history.db"))
        #expect(try again.integer("PRAGMA user_version") == Int64(SnapshotStore.schemaVersion))
    }

    @Test("a version-1 database keeps its snapshots when migrated to the current version")
    func migratesVersionOne() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/node.toml", "a = 1\n")
        do {
            // Build a real version-1 database: the version-1 schema, one snapshot written by the store.
            let database = try Database(path: temp.path("history.db"), busyTimeoutMilliseconds: 100)
            try database.writeTransaction {
                try Migrations.createVersion1(database)
                try database.execute("PRAGMA user_version = 1")
            }
            let store = try SnapshotStore(path: temp.path("history.db"))
            _ = try store.takeSnapshot(of: temp.path("tree"))
            try store.database.execute(downgradeSQL(toVersion: 1))
        }
        let store = try SnapshotStore(path: temp.path("history.db"))
        #expect(try store.integer("PRAGMA user_version") == Int64(SnapshotStore.schemaVersion))
        #expect(try store.chainLinks().map(\.snapshot) == [SnapshotID(1)])
        #expect(try store.listSnapshots().count == 1)
        #expect(try store.contents(of: "node.toml", in: .latest) == Array("a = 1\n".utf8))
        try store.setNamedValue("drift:abc", named: "last-drift")
        #expect(try store.namedValue("last-drift")?.value == "drift:abc")
    }

    @Test("a version-2 database (no stored comparisons) migrates and keeps its snapshots and alert state")
    func migratesVersionTwo() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/node.toml", "a = 1\n")
        do {
            // A real version-2 database: versions 1 and 2 as they shipped, a snapshot and an alert state.
            let database = try Database(path: temp.path("history.db"), busyTimeoutMilliseconds: 100)
            try database.writeTransaction {
                try Migrations.createVersion1(database)
                try Migrations.createVersion2(database)
                try database.execute("PRAGMA user_version = 2")
            }
        }
        do {
            let store = try SnapshotStore(path: temp.path("history.db"))
            _ = try store.takeSnapshot(of: temp.path("tree"))
            try store.setNamedValue("drift:abc", named: "last-drift")
            try store.database.execute(downgradeSQL(toVersion: 2))
        }
        let store = try SnapshotStore(path: temp.path("history.db"))
        #expect(try store.integer("PRAGMA user_version") == Int64(SnapshotStore.schemaVersion))
        #expect(try store.listSnapshots().count == 1)
        #expect(try store.namedValue("last-drift")?.value == "drift:abc")
        #expect(try store.storedComparisons().isEmpty, "old snapshots have no stored comparison yet")
        let comparison = StoredComparison(
            reference: "r", changeCount: 3, criticalCount: 2, warningCount: 0, infoCount: 1)
        try store.recordComparison(comparison, of: SnapshotID(1))
        #expect(try store.storedComparisons() == [SnapshotID(1): comparison])
    }

    @Test("a database from a newer kms-drift is refused with a clear error")
    func futureVersion() throws {
        let temp = try TemporaryDirectory.current()
        do {
            let store = try SnapshotStore(path: temp.path("history.db"))
            try store.database.execute("PRAGMA user_version = 99")
        }
        #expect {
            try SnapshotStore(path: temp.path("history.db"))
        } throws: { error in
            guard case SnapshotStoreError.schemaTooNew(_, 99, SnapshotStore.schemaVersion) = error else {
                return false
            }
            return "\(error)".contains("upgrade kms-drift")
        }
    }

    @Test("a writer that cannot get the lock gets a busy error within its timeout")
    func busy() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a.toml", "a = 1\n")
        let holder = try SnapshotStore(path: temp.path("history.db"))
        try holder.database.execute("BEGIN IMMEDIATE")
        let waiter = try SnapshotStore(path: temp.path("history.db"), busyTimeout: .milliseconds(300))
        let clock = ContinuousClock()
        let start = clock.now
        #expect {
            try waiter.takeSnapshot(of: temp.path("tree"))
        } throws: { error in
            guard case SnapshotStoreError.databaseBusy = error else { return false }
            return "\(error)".contains(
                "is locked by another kms-drift process; waited 0.3 s — try again later")
        }
        let waited = clock.now - start
        #expect(waited >= .milliseconds(250) && waited < .seconds(3))
        try holder.database.execute("ROLLBACK")
        // Once the lock is released the same store works, and nothing half-written is left behind.
        #expect(try waiter.listSnapshots().isEmpty)
        #expect(try waiter.takeSnapshot(of: temp.path("tree")).fileCount == 1)
    }

    @Test(
        "a database in a read-only directory is a clear error",
        .enabled(if: Probe.canMount, "needs permission to mount a tmpfs: root ignores directory modes"))
    func readOnlyDirectory() throws {
        let temp = try TemporaryDirectory.current()
        let mountPoint = temp.path("readonly")
        // Root ignores directory permissions, so a read-only tmpfs gives a real EROFS.
        try mountTmpfs(at: mountPoint, options: "ro,size=64k")
        defer { unmount(mountPoint) }
        #expect {
            try SnapshotStore(path: mountPoint + "/history.db")
        } throws: { error in
            guard case SnapshotStoreError.cannotOpenDatabase(let path, _) = error else { return false }
            return path == mountPoint + "/history.db"
        }
    }

    @Test(
        "disk full: a snapshot too big fails clearly and the earlier snapshot is still there",
        .enabled(if: Probe.canMount, "needs permission to mount a small tmpfs to fill"))
    func diskFull() throws {
        let temp = try TemporaryDirectory.current()
        let mountPoint = temp.path("small")
        try mountTmpfs(at: mountPoint, options: "size=1m")
        defer { unmount(mountPoint) }
        try temp.write("tree/node.toml", "threshold = 4\n")
        let store = try SnapshotStore(path: mountPoint + "/history.db")
        let first = try store.takeSnapshot(of: temp.path("tree"))
        try temp.write("tree/keys.bin", randomBytes(3 << 20))
        #expect {
            try store.takeSnapshot(of: temp.path("tree"))
        } throws: { error in
            guard case SnapshotStoreError.diskFull = error else { return false }
            return "\(error)".contains("disk full while writing snapshot")
                && "\(error)".contains("nothing was recorded")
        }
        #expect(try store.listSnapshots().map(\.id) == [first.id])
        #expect(try store.contents(of: "node.toml", in: .latest) == Array("threshold = 4\n".utf8))
        #expect(try store.verify().isEmpty)
    }
}
