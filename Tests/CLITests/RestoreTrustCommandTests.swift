import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `restore`, `verify`, `show` and `list` on a database damaged behind kms-drift's back (with the
/// sqlite3 shell): byte-exact files or nothing, each damaged path named, exit 2, bounded memory.
@Suite("restore and the store under damage, end to end", .temporaryDirectory)
struct RestoreTrustCommandTests {
    let root: URL
    var watched: URL { root.appendingPathComponent("watched") }
    var database: String { root.appendingPathComponent("history.db").path }

    init() throws {
        root = try TemporaryDirectory.current().url
        try writeFile("[service]\nport = 50100\n", to: watched.appendingPathComponent("kms-server.toml"))
        try writeFile(
            String(repeating: "peer = \"party.example\"\n", count: 4000),
            to: watched.appendingPathComponent("peers.toml"))
        try writeFile(
            "-----BEGIN PRIVATE KEY-----\nabc\n", to: watched.appendingPathComponent("certs/key.pem"))
        chmod(watched.appendingPathComponent("certs/key.pem").path, 0o600)
    }

    private func snapshot() throws {
        let result = try CLI.run(["snapshot", "--dir", watched.path, "--db", database])
        #expect(result.status == 0, "\(result.stderr)")
        // Everything in the database file itself, so that damaging the file damages the history.
        #expect(sqlite(database, "PRAGMA wal_checkpoint(TRUNCATE)") == 0)
    }

    @Test("a damaged chunk: restore names the file, writes nothing and exits 2; --partial writes the rest")
    func damagedChunk() throws {
        try snapshot()
        #expect(
            sqlite(
                database,
                "UPDATE blob_chunks SET data = X'00' || substr(data, 2) WHERE blob_id = (SELECT s.blob_id "
                    + "FROM file_states s JOIN paths p ON p.id = s.path_id WHERE p.path = 'certs/key.pem')")
                == 0)
        let out = root.appendingPathComponent("out")
        let refused = try CLI.run(["restore", "1", "--db", database, "--to", out.path])
        #expect(refused.status == 2)
        #expect(refused.stdout.contains("NOT restored  certs/key.pem: damaged"), "\(refused.stdout)")
        #expect(refused.stdout.contains("nothing written"))
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let dryRun = try CLI.run(["restore", "1", "--db", database, "--to", out.path, "--dry-run"])
        #expect(dryRun.status == 2)
        #expect(dryRun.stdout.contains("would restore 3 of 4 entries"), "\(dryRun.stdout)")

        let partial = try CLI.run(["restore", "1", "--db", database, "--to", out.path, "--partial"])
        #expect(partial.status == 2)
        #expect(partial.stdout.contains("restored 3 of 4 entries"), "\(partial.stdout)")
        #expect(partial.stdout.contains("1 not restored"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("certs/key.pem").path))
        #expect(
            FileManager.default.contentsEqual(
                atPath: out.appendingPathComponent("peers.toml").path,
                andPath: watched.appendingPathComponent("peers.toml").path))

        let verify = try CLI.run(["verify", "--db", database])
        #expect(verify.status == 2)
        #expect(verify.stderr.contains("#1 certs/key.pem"))
        let show = try CLI.run(["show", "1", "certs/key.pem", "--db", database])
        #expect(show.status == 2)
        #expect(show.stdout.isEmpty, "not one byte of damaged content is printed")
    }

    @Test(
        "size fields set to 4 GiB: verify, show, list and restore refuse in bounded memory",
        arguments: [
            "UPDATE blob_chunks SET length = 4294967296", "UPDATE blobs SET size = 4294967296",
            "UPDATE file_states SET size = 4294967296", "UPDATE snapshots SET total_size = 4294967296",
        ])
    func lyingSizes(damage: String) throws {
        try snapshot()
        #expect(sqlite(database, damage) == 0)
        let out = root.appendingPathComponent("out").path
        for arguments in [
            ["verify", "--db", database], ["show", "1", "peers.toml", "--db", database],
            ["list", "--db", database], ["restore", "1", "--db", database, "--to", out],
            ["show", "1", "--db", database],
        ] {
            let run = try BoundedRun.run(arguments)
            #expect(run.status != nil && !run.timedOut, "\(arguments[0]) crashed or hung: \(run.stderr)")
            #expect(run.peakKiB < 100_000, "\(arguments[0]) peaked at \(run.peakKiB) KiB")
            if damage.contains("total_size") { continue }  // a display field: nothing is refused
            if arguments[0] == "verify" || arguments[0] == "restore" {
                #expect(run.status == 2, "\(arguments)")
            }
        }
        if !damage.contains("total_size") {
            #expect(!FileManager.default.fileExists(atPath: out + "/peers.toml"))
        }
    }

    @Test("a setuid copy of id comes back without setuid and setgid, and the restore says so")
    func setuidDropped() throws {
        let copy = watched.appendingPathComponent("id")
        try FileManager.default.copyItem(atPath: "/usr/bin/id", toPath: copy.path)
        #expect(chmod(copy.path, 0o6777) == 0)
        try snapshot()
        let out = root.appendingPathComponent("out")
        let restored = try CLI.run(["restore", "1", "--db", database, "--to", out.path])
        #expect(restored.status == 0, "\(restored.stdout)\(restored.stderr)")
        #expect(restored.stdout.contains("id  (dropped setuid, setgid;"), "\(restored.stdout)")
        #expect(mode(out.appendingPathComponent("id").path) == 0o777)
        let kept = try CLI.run([
            "restore", "1", "--db", database, "--to", out.path + "2", "--keep-special-bits",
        ])
        #expect(kept.status == 0)
        #expect(mode(out.path + "2/id") == 0o6777)
    }

    @Test("owners and directory modes come back (tests run as root)", .enabled(if: geteuid() == 0))
    func owners() throws {
        let certs = watched.appendingPathComponent("certs").path
        #expect(chown(certs + "/key.pem", 1001, 1001) == 0)
        #expect(chown(certs, 1001, 1001) == 0)
        #expect(chmod(certs, 0o750) == 0)
        try snapshot()
        let out = root.appendingPathComponent("out")
        let restored = try CLI.run(["restore", "1", "--db", database, "--to", out.path])
        #expect(restored.status == 0, "\(restored.stdout)")
        var status = stat()
        #expect(stat(out.path + "/certs/key.pem", &status) == 0)
        #expect(status.st_uid == 1001 && status.st_gid == 1001 && status.st_mode & 0o7777 == 0o600)
        #expect(stat(out.path + "/certs", &status) == 0)
        #expect(status.st_uid == 1001 && status.st_mode & 0o7777 == 0o750)
    }

    @Test(
        "--path '' is refused, never 'everything'; a file above the size limit makes the restore incomplete")
    func scopeAndOversized() throws {
        try writeFile(String(repeating: "x", count: 5000), to: watched.appendingPathComponent("big.bin"))
        let config = try writeFile(
            "[watch]\ndirectory = \"\(watched.path)\"\nmax_file_size = 4096\n[store]\ndatabase = \"\(database)\"\n",
            to: root.appendingPathComponent("kms-drift.toml"))
        #expect(try CLI.run(["snapshot", "--config", config]).status == 0)
        let out = root.appendingPathComponent("out").path
        let empty = try CLI.run(["restore", "1", "--config", config, "--to", out, "--path", ""])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("--path is empty"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let whole = try CLI.run(["restore", "1", "--config", config, "--to", out])
        #expect(whole.status == 2)
        #expect(
            whole.stdout.contains("NOT restored  big.bin: it was above the size limit"), "\(whole.stdout)")
        let one = try CLI.run(["restore", "1", "--config", config, "--to", out, "--path", "certs/"])
        #expect(one.status == 0, "\(one.stdout)")
        #expect(one.stdout.contains("restored 2 of 2 entries"))
    }

    @Test("a file name that is not UTF-8 is listed escaped, printed and restored byte-identical")
    func nonUTF8Name() throws {
        let name = Array("bad".utf8) + [0xff] + Array(".toml".utf8)
        let path = Array(watched.path.utf8) + [0x2f] + name + [0]
        let descriptor = path.withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
        }
        #expect(write(descriptor, "x = 1\n", 6) == 6)
        close(descriptor)
        try snapshot()
        let listing = try CLI.run(["show", "1", "--db", database])
        #expect(listing.stdout.contains("bad\\xff.toml"), "\(listing.stdout)")
        #expect(!listing.stdout.contains("vanished"))
        #expect(try CLI.run(["show", "1", "bad\\xff.toml", "--db", database]).stdout == "x = 1\n")
        let out = root.appendingPathComponent("out").path
        #expect(try CLI.run(["restore", "1", "--db", database, "--to", out]).status == 0)
        let restored = Array(out.utf8) + [0x2f] + name + [0]
        #expect(
            restored.withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { access($0.baseAddress!, F_OK) }
            } == 0)
    }

    private func mode(_ path: String) -> mode_t {
        var status = stat()
        stat(path, &status)
        return status.st_mode & 0o7777
    }
}
