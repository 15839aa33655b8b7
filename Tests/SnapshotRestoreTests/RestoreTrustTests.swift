import FileSystem
import Foundation
import Glibc
import TestSupport
import Testing

@testable import SnapshotRestore
@testable import SnapshotStore

/// A restore writes byte-exact files or nothing, whatever was done to the database: damaged
/// chunks, size fields that lie, hostile modes; and it says exactly what it wrote and what not.
@Suite("Restore under damage and hostile metadata", .temporaryDirectory)
struct RestoreTrustTests {
    /// A tree with a small raw file, a compressible (zstd) file, a key and a directory.
    /// A store holding one snapshot of ``makeTree(_:)``, then changed behind its back by `damage`
    /// (SQL run by the sqlite3 shell), opened again.
    private func damagedStore(_ temp: TemporaryDirectory, _ damage: String) throws -> SnapshotStore {
        try makeTree(temp)
        let database = temp.path("history.db")
        try SnapshotStore(path: database).takeSnapshot(of: temp.path("tree"))
        #expect(sqlite(database, damage) == 0)
        return try SnapshotStore(path: database)
    }

    private func makeTree(_ temp: TemporaryDirectory) throws {
        try temp.write("tree/node.toml", "[service]\nport = 50100\n")
        try temp.write(
            "tree/big.toml", Array(String(repeating: "peer = \"party.example\"\n", count: 4000).utf8))
        try temp.write("tree/certs/key.pem", "-----BEGIN PRIVATE KEY-----\nabc\n", mode: 0o600)
    }

    /// The blob id holding `path` in the latest snapshot.
    private func blobID(_ store: SnapshotStore, _ path: String) throws -> Int64 {
        try #require(
            try store.integer(
                "SELECT s.blob_id FROM file_states s JOIN paths p ON p.id = s.path_id WHERE p.path = '\(path)'"
            ))
    }

    @Test(
        "a damaged byte in a raw chunk or a flipped bit in a zstd chunk: nothing is written, each damaged path named",
        arguments: [
            ("node.toml", "data = X'00' || substr(data, 2)"),
            ("big.toml", "data = substr(data, 1, 40) || X'ff' || substr(data, 42)"),
        ])
    func damagedChunk(path: String, damage: String) throws {
        let temp = try TemporaryDirectory.current()
        try makeTree(temp)
        let database = temp.path("history.db")
        let id: Int64
        do {
            let store = try SnapshotStore(path: database)
            try store.takeSnapshot(of: temp.path("tree"))
            id = try blobID(store, path)
            let encoding = try store.integer("SELECT encoding FROM blob_chunks WHERE blob_id = \(id)")
            #expect(encoding == (path == "big.toml" ? 2 : 0), "the case tests a raw chunk and a zstd chunk")
        }
        #expect(sqlite(database, "UPDATE blob_chunks SET \(damage) WHERE blob_id = \(id)") == 0)
        let store = try SnapshotStore(path: database)
        let restorer = SnapshotRestorer(store: store)
        let plan = try restorer.plan(.latest, into: temp.path("out"))
        #expect(plan.refusals.map(\.path) == [path])
        #expect(plan.refusals.first?.reason.hasPrefix("damaged") == true)

        let refused = restorer.execute(plan)
        #expect(!refused.isComplete)
        #expect(refused.written.isEmpty)
        #expect(access(temp.path("out"), F_OK) != 0, "nothing at all is written when the plan is not clean")

        let partial = restorer.execute(plan, partial: true)
        #expect(partial.notWritten.map(\.path) == [path])
        #expect(access(temp.path("out/" + path), F_OK) != 0, "nothing of the damaged file is written")
        for sound in ["node.toml", "big.toml", "certs/key.pem"] where sound != path {
            #expect(try temp.read("out/" + sound) == temp.read("tree/" + sound))
        }
        #expect(try store.verify().contains { $0.affectedFiles.map(\.path) == [path] })
    }

    @Test("a blob whose content changed after the plan is caught by the hash before its rename")
    func damageAfterThePlan() throws {
        let temp = try TemporaryDirectory.current()
        try makeTree(temp)
        let database = temp.path("history.db")
        let store = try SnapshotStore(path: database)
        try store.takeSnapshot(of: temp.path("tree"))
        let restorer = SnapshotRestorer(store: store)
        let plan = try restorer.plan(.latest, into: temp.path("out"))
        #expect(plan.isClean)
        let id = try blobID(store, "certs/key.pem")
        #expect(
            sqlite(database, "UPDATE blob_chunks SET data = X'41' || substr(data, 2) WHERE blob_id = \(id)")
                == 0)
        let report = restorer.execute(plan)
        #expect(report.notWritten.map(\.path) == ["certs/key.pem"])
        #expect(report.notWritten.first?.reason.contains("SHA-256") == true)
        #expect(access(temp.path("out/certs/key.pem"), F_OK) != 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: temp.path("out/certs"))
        #expect(leftovers.isEmpty, "the temporary file is removed too: \(leftovers)")
    }

    @Test(
        "size fields that lie are checked against the real data and the limit before any buffer is sized",
        arguments: [
            "UPDATE blob_chunks SET length = 4294967296",
            "UPDATE blobs SET size = 4294967296",
            "UPDATE blob_chunks SET seq = seq + 1",
            // A snapshot without a manifest digest (taken before schema 3) whose file sizes lie.
            "UPDATE file_states SET size = 4294967296 WHERE kind = 0; UPDATE snapshots SET manifest_digest = NULL",
        ])
    func lyingSizes(damage: String) throws {
        let temp = try TemporaryDirectory.current()
        let store = try damagedStore(temp, damage)
        let before = peakResidentKiB()
        let plan = try SnapshotRestorer(store: store).plan(.latest, into: temp.path("out"))
        #expect(plan.actions.filter { !$0.isDirectory }.isEmpty)
        #expect(Set(plan.refusals.map(\.path)) == ["node.toml", "big.toml", "certs/key.pem"])
        #expect(!(try store.verify()).isEmpty)
        #expect(throws: SnapshotStoreError.self) { try store.contents(of: "node.toml", in: .latest) }
        #expect(peakResidentKiB() - before < 100_000, "no buffer was sized from a lying field")
    }

    @Test(
        "a manifest changed behind kms-drift's back (a size, a path, which content a file has) refuses the snapshot",
        arguments: [
            "UPDATE file_states SET size = 4294967296 WHERE kind = 0",
            "UPDATE paths SET path = 'renamed.toml' WHERE path = 'node.toml'",
            "UPDATE file_states SET blob_id = (SELECT min(id) FROM blobs) WHERE kind = 0",
            "DELETE FROM entries WHERE state_id = (SELECT max(state_id) FROM entries)",
            "UPDATE file_states SET mode = 4095 WHERE kind = 0",
        ])
    func damagedManifest(damage: String) throws {
        let temp = try TemporaryDirectory.current()
        let store = try damagedStore(temp, damage)
        #expect {
            try SnapshotRestorer(store: store).plan(.latest, into: temp.path("out"))
        } throws: { error in
            guard case SnapshotStoreError.manifestDamaged = error else { return false }
            return true
        }
        #expect(
            try store.verify().contains { $0.message.hasPrefix("snapshot #1: its list of files is damaged") })
        #expect(throws: SnapshotStoreError.self) {
            try store.forEachVerifiedChunk(of: "big.toml", in: .latest) { _ in }
        }
        #expect(access(temp.path("out"), F_OK) != 0)
    }

    @Test("the manifest digest kept from snapshot to snapshot equals the one recomputed from every record")
    func incrementalDigest() throws {
        let temp = try TemporaryDirectory.current()
        try makeTree(temp)
        let store = try SnapshotStore(path: temp.path("history.db"))
        var ids: [SnapshotID] = []
        func snapshot() throws { ids.append(try store.takeSnapshot(of: temp.path("tree")).id) }
        try snapshot()
        try snapshot()  // unchanged
        try temp.write("tree/node.toml", "[service]\nport = 50200\n")  // changed
        try temp.write("tree/new/dir/added.toml", "a = 1\n")  // added, with directories
        #expect(symlink("node.toml", temp.path("tree/link")) == 0)
        try snapshot()
        #expect(unlink(temp.path("tree/big.toml")) == 0)  // removed
        #expect(chmod(temp.path("tree/certs"), 0o700) == 0)  // a directory's mode
        try snapshot()
        #expect(rename(temp.path("tree/link"), temp.path("tree/link2")) == 0)
        try snapshot()
        try store.rotate(keepNewest: 2)
        try snapshot()
        for id in try store.listSnapshots().map(\.id) {
            let kept = try #require(
                try store.database.cached("SELECT manifest_digest FROM snapshots WHERE id = ?")
                    .firstRow([.integer(id.rawValue)]) { $0.rawBytes(0) } ?? nil)
            #expect(
                ManifestDigest(bytes: kept)
                    == (try ManifestDigest.of(snapshot: id.rawValue, in: store.database)), "\(id)")
        }
        #expect(try store.verify().isEmpty)
    }

    @Test("setuid, setgid and sticky bits are dropped and named unless kept on purpose")
    func specialBits() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/id", "#!/bin/sh\nid\n", mode: 0o755)
        #expect(chmod(temp.path("tree/id"), 0o6777) == 0)
        try FileManager.default.createDirectory(
            atPath: temp.path("tree/shared"), withIntermediateDirectories: true)
        #expect(chmod(temp.path("tree/shared"), 0o3775) == 0)
        let store = try SnapshotStore(path: temp.path("history.db"))
        try store.takeSnapshot(of: temp.path("tree"))
        let restorer = SnapshotRestorer(store: store)

        let report = try restorer.restore(.latest, into: temp.path("safe"))
        #expect(report.isComplete)
        #expect(temp.mode("safe/id") == 0o777)
        #expect(temp.mode("safe/shared") == 0o775)
        #expect(report.written.first { $0.path == "id" }?.droppedBits == 0o6000)
        #expect(report.written.first { $0.path == "shared" }?.droppedBits == 0o3000)

        let kept = try restorer.restore(
            .latest, into: temp.path("kept"), options: RestoreOptions(keepSpecialBits: true))
        #expect(kept.isComplete)
        #expect(temp.mode("kept/id") == 0o6777)
        #expect(kept.written.allSatisfy { $0.droppedBits == 0 })
    }

    @Test("owner, group and mode of files, links and directories come back as root; reported otherwise")
    func ownersAndDirectoryModes() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/keys/key.pem", "k\n", mode: 0o600)
        #expect(symlink("key.pem", temp.path("tree/keys/current")) == 0)
        #expect(chown(temp.path("tree/keys/key.pem"), 1001, 1002) == 0)
        #expect(lchown(temp.path("tree/keys/current"), 1003, 1004) == 0)
        #expect(chown(temp.path("tree/keys"), 1001, 1002) == 0)
        #expect(chmod(temp.path("tree/keys"), 0o750) == 0)
        let store = try SnapshotStore(path: temp.path("history.db"))
        try store.takeSnapshot(of: temp.path("tree"))
        #expect(try store.file("keys/key.pem", in: .latest).owner == 1001)
        let restorer = SnapshotRestorer(store: store)

        let asRoot = try restorer.restore(
            .latest, into: temp.path("root"), options: RestoreOptions(restoreOwners: true))
        #expect(asRoot.isComplete)
        #expect(asRoot.ownersNotRestored.isEmpty)
        #expect(ownership(temp.path("root/keys/key.pem")) == (1001, 1002))
        #expect(ownership(temp.path("root/keys/current")) == (1003, 1004))
        #expect(ownership(temp.path("root/keys")) == (1001, 1002))
        #expect(temp.mode("root/keys") == 0o750)
        #expect(temp.mode("root/keys/key.pem") == 0o600)

        let unprivileged = try restorer.restore(
            .latest, into: temp.path("user"), options: RestoreOptions(restoreOwners: false))
        #expect(unprivileged.isComplete)
        #expect(Set(unprivileged.ownersNotRestored.map(\.path)) == ["keys", "keys/key.pem", "keys/current"])
        #expect(ownership(temp.path("user/keys/key.pem")) == (geteuid(), getegid()))
    }

    @Test("a snapshot taken before owners and directories were recorded (schema 2) still restores as before")
    func schemaTwoSnapshot() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/conf/node.toml", "a = 1\n", mode: 0o640)
        let database = temp.path("history.db")
        try SnapshotStore(path: database).takeSnapshot(of: temp.path("tree"))
        // Turn the database into what kms-drift wrote before version 3.
        #expect(sqlite(database, downgradeSQL(toVersion: 2)) == 0)
        let store = try SnapshotStore(path: database)
        #expect(try store.integer("PRAGMA user_version") == Int64(SnapshotStore.schemaVersion))
        let report = try SnapshotRestorer(store: store).restore(.latest, into: temp.path("out"))
        #expect(report.isComplete)
        #expect(try temp.read("out/conf/node.toml") == Array("a = 1\n".utf8))
        #expect(temp.mode("out/conf/node.toml") == 0o640)
        #expect(temp.mode("out/conf") == 0o700)
        #expect(try store.file("conf/node.toml", in: .latest).owner == nil)
        // The next snapshot records owners without reading the unchanged file again.
        let next = try store.takeSnapshot(of: temp.path("tree"))
        #expect(next.filesRead == 0)
        #expect(try store.file("conf/node.toml", in: .latest).owner == geteuid())
    }

    @Test("everything not restorable is planned first and reported; nothing is counted that was not written")
    func planFirst() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a.toml", "a = 1\n")
        try temp.write("tree/huge.bin", randomBytes(5000))
        try temp.write("tree/z/late.toml", "z = 1\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        try store.takeSnapshot(of: temp.path("tree"), options: SnapshotOptions(maximumStoredFileSize: 1000))
        // `z` in the target is a symlink leading outside: found by the plan, before a.toml is written.
        try FileManager.default.createDirectory(
            atPath: temp.path("target"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: temp.path("elsewhere"), withIntermediateDirectories: true)
        #expect(symlink(temp.path("elsewhere"), temp.path("target/z")) == 0)
        let restorer = SnapshotRestorer(store: store)
        let plan = try restorer.plan(.latest, into: temp.path("target"))
        #expect(plan.refusals.map(\.path) == ["huge.bin", "z", "z/late.toml"])
        #expect(plan.refusals[0].reason.contains("size limit"))
        let report = restorer.execute(plan)
        #expect(report.written.isEmpty)
        #expect(access(temp.path("target/a.toml"), F_OK) != 0)
        #expect(access(temp.path("elsewhere/late.toml"), F_OK) != 0)

        let partial = restorer.execute(plan, partial: true)
        #expect(partial.written.map(\.path) == ["a.toml"])
        #expect(partial.notWritten.map(\.path) == ["huge.bin", "z", "z/late.toml"])
        #expect(!partial.isComplete)
    }

    @Test(
        "--path must name something: empty, absolute and escaping paths are refused",
        arguments: ["", "/", "/etc", "../x", "a/../b", "./a"])
    func refusedScopes(path: String) {
        #expect(throws: SnapshotStoreError.self) { try RestoreScope.subtree(path) }
    }

    @Test("a subtree path is normalised; a path the snapshot does not hold is an error")
    func scopes() throws {
        #expect(try RestoreScope.subtree("certs/") == "certs")
        #expect(try RestoreScope.subtree("bad\\xff.toml") == "bad\\xff.toml")
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/certs/a.pem", "a\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        try store.takeSnapshot(of: temp.path("tree"))
        #expect(throws: SnapshotStoreError.self) {
            try SnapshotRestorer(store: store).plan(
                .latest, into: temp.path("out"), options: RestoreOptions(subtree: "cert"))
        }
    }

    @Test("paths a hostile database holds (.., absolute, NUL, a file recorded as a parent) are refused")
    func hostilePaths() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a.toml", "a = 1\n")
        try temp.write("tree/b.toml", "b = 1\n")
        try temp.write("tree/c.toml", "c = 1\n")
        let database = temp.path("history.db")
        try SnapshotStore(path: database).takeSnapshot(of: temp.path("tree"))
        #expect(sqlite(database, "UPDATE paths SET path = '../escaped.toml' WHERE path = 'a.toml'") == 0)
        #expect(sqlite(database, "UPDATE paths SET path = X'622f00782e746f6d6c' WHERE path = 'b.toml'") == 0)
        // As a snapshot from before manifest digests, or an attacker who recomputed the digest: the
        // paths themselves are still checked one by one.
        #expect(sqlite(database, "UPDATE snapshots SET manifest_digest = NULL") == 0)
        let store = try SnapshotStore(path: database)
        let report = try SnapshotRestorer(store: store).restore(
            .latest, into: temp.path("out"), partial: true)
        #expect(Set(report.notWritten.map(\.path)) == ["../escaped.toml", "b/\\x00x.toml"])
        #expect(report.written.map(\.path) == ["c.toml"])
        #expect(access(temp.path("escaped.toml"), F_OK) != 0)
        #expect(access(temp.path("out/b"), F_OK) != 0)
    }
}

/// The owner and group of a path, not following a symlink.
func ownership(_ path: String) -> (UInt32, UInt32) {
    var status = stat()
    lstat(path, &status)
    return (status.st_uid, status.st_gid)
}

/// This process's peak resident set size in KiB.
func peakResidentKiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss
}
