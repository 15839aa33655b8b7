import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A node rebuilt from its backups, end to end with the built binary: node A keeps a history with
/// `[backup]` and `[effective]`; its directory and store are lost; node B (same host name, same
/// paths, empty) runs the documented `kms-drift rebuild` on A's newest export and then the
/// daemon. B's first cycle finds the reference's state, its directory is A's last state byte for
/// byte (modes, owners, links, no computed `@` files), its own backups rotate, A's stay.
@Suite("kms-drift rebuild", .temporaryDirectory)
struct RebuildTests {
    /// The age specification's example identity and its recipient.
    static let identity = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n"
    static let recipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"

    /// Every entry under `root`: relative path → kind, mode, owner and bytes (or link target).
    static func inventory(_ root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        while let relative = enumerator.nextObject() as? String {
            let full = root + "/" + relative
            var status = stat()
            lstat(full, &status)
            let common = "\(String(status.st_mode & 0o7777, radix: 8)) \(status.st_uid):\(status.st_gid)"
            switch status.st_mode & S_IFMT {
            case S_IFLNK:
                result[relative] = "link " + (try FileManager.default.destinationOfSymbolicLink(atPath: full))
            case S_IFREG:
                let bytes = try Data(contentsOf: URL(fileURLWithPath: full))
                result[relative] = "file \(common) \(Array(bytes))"
            case S_IFDIR:
                result[relative] = "dir \(common)"
            default:
                result[relative] = "other"
            }
        }
        return result
    }

    /// The exports in `directory` with their bytes.
    static func exports(_ directory: String) throws -> [String: Data] {
        var found: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory)
        where name.hasSuffix(".age") {
            found[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return found
    }

    /// The UTC time in an export's name (`…-20261130T101500.123456789Z.tar.zst.age`).
    static func time(_ name: String) -> Substring {
        name.dropLast(".tar.zst.age".count).split(separator: "-").last ?? ""
    }

    @Test("rebuild")
    func rebuild() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("key.txt", Self.identity, mode: 0o600)
        _ = try temp.makeDirectory("backups")
        _ = try temp.makeDirectory("state")
        let config = try temp.write(
            "kms-drift.toml",
            """
            [watch]
            directory = "node"
            [store]
            database = "state/history.db"
            [backup]
            directory = "backups"
            recipients = ["\(Self.recipient)"]
            keep = 4
            [schedule]
            interval_seconds = 1
            watch = false
            [effective]
            config_file = "\(temp.path("node/kms-server.toml"))"
            workdir = "\(temp.path("work"))"
            etc_config_dir = "\(temp.path("etc-config"))"
            """)
        func kmsDrift(_ arguments: [String]) throws -> ProcessResult {
            try CLI.run(arguments + ["--config", config])
        }

        // Node A: a tree with modes, an owner, a symlink and a subdirectory; 15 changes.
        try temp.write("node/kms-server.toml", "[service]\nlisten_port = 50100\n", mode: 0o640)
        try temp.write("node/keys/party.key", "-----BEGIN PRIVATE KEY-----\nabc\n", mode: 0o600)
        chown(temp.path("node/keys/party.key"), 1234, 2345)
        chmod(temp.path("node/keys"), 0o750)
        try temp.write("node/certs/ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n")
        try FileManager.default.createSymbolicLink(
            atPath: temp.path("node/current.toml"), withDestinationPath: "kms-server.toml")
        let first = try kmsDrift(["snapshot"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        for change in 1...15 {
            try temp.write(
                "node/kms-server.toml", "[service]\nlisten_port = \(50100 + change)\n", mode: 0o640)
            let cycle = try kmsDrift(["snapshot"])
            #expect(cycle.status == 1, "\(cycle.stderr)")
        }
        let lastState = try Self.inventory(temp.path("node"))
        let exportsOfA = try Self.exports(temp.path("backups"))
        #expect(exportsOfA.count == 4)
        let newest = try #require(exportsOfA.keys.max { Self.time($0) < Self.time($1) })
        // The export holds the computed file: the rebuild must leave it out.
        let inside = try runProcess(
            "/bin/sh",
            [
                "-c", "age -d -i \"$1\" \"$2\" | zstd -dc | tar -t", "sh", temp.path("key.txt"),
                temp.path("backups/" + newest),
            ])
        #expect(inside.stdout.contains("@effective/kms-server.toml"), "\(inside.stdout)\(inside.stderr)")

        // A is lost: its directory and its store.
        try FileManager.default.removeItem(atPath: temp.path("node"))
        try FileManager.default.removeItem(atPath: temp.path("state"))
        _ = try temp.makeDirectory("state")

        // Node B: the documented command.
        let rebuilt = try kmsDrift([
            "rebuild", temp.path("backups/" + newest), "--identity", temp.path("key.txt"),
        ])
        #expect(rebuilt.status == 0, "\(rebuilt.stdout)\(rebuilt.stderr)")
        let host = ProcessInfo.processInfo.hostName
        #expect(rebuilt.stdout.contains("imported snapshot #16 of "), "\(rebuilt.stdout)")
        #expect(rebuilt.stdout.contains("as snapshot #1, every hash checked"))
        #expect(rebuilt.stdout.contains("entries of snapshot #16 of "))
        #expect(rebuilt.stdout.contains("is now the baseline: the store had none"))
        #expect(!rebuilt.stdout.contains("snapshot #1 of"), "the export's own id, never the new store's")
        _ = host
        let restored = try Self.inventory(temp.path("node"))
        #expect(restored == lastState)
        #expect(!restored.keys.contains { $0.hasPrefix("@") })

        // B's daemon: its first cycle finds the reference's state.
        do {
            let daemon = try DaemonProcess(arguments: ["--config", config], in: temp.url)
            let ready = daemon.waitForNotification { $0.contains("READY=1") }
            #expect(
                ready?.contains("cycle 1: no drift: same as the reference") == true,
                "\(ready ?? "") \(daemon.stderr)")
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0)
            #expect(!daemon.stderr.contains("error"), "\(daemon.stderr)")
        }

        // B's backups accumulate to keep; A's exports are untouched.
        for change in 1...6 {
            try temp.write("node/certs/ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\(change)\n")
            #expect(try kmsDrift(["snapshot"]).status <= 1)
        }
        let all = try Self.exports(temp.path("backups"))
        for (name, bytes) in exportsOfA { #expect(all[name] == bytes, "\(name) of node A changed or went") }
        let exportsOfB = all.keys.filter { exportsOfA[$0] == nil }
        #expect(exportsOfB.count == 4, "\(all.keys.sorted())")
    }

    @Test("older exports of the same store are imported first, in order; another store's are refused")
    func olderExportsFirst() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("key.txt", Self.identity, mode: 0o600)
        _ = try temp.makeDirectory("backups")
        _ = try temp.makeDirectory("state")
        let config = try temp.write(
            "kms-drift.toml",
            """
            [watch]
            directory = "node"
            [store]
            database = "state/history.db"
            [backup]
            directory = "backups"
            recipients = ["\(Self.recipient)"]
            """)
        func kmsDrift(_ arguments: [String]) throws -> ProcessResult {
            try CLI.run(arguments + ["--config", config])
        }
        for port in 1...3 {
            try temp.write("node/kms-server.toml", "[service]\nlisten_port = \(port)\n")
            #expect(try kmsDrift(["snapshot"]).status <= 1)
        }
        let names = try Self.exports(temp.path("backups")).keys.sorted { Self.time($0) < Self.time($1) }
        #expect(names.count == 3)
        try FileManager.default.removeItem(atPath: temp.path("node"))
        try FileManager.default.removeItem(atPath: temp.path("state"))
        _ = try temp.makeDirectory("state")

        // An export of another store is refused before anything is imported.
        try temp.write("other/kms-server.toml", "x = 1\n")
        #expect(
            try CLI.run(["snapshot", "--dir", temp.path("other"), "--db", temp.path("other.db")]).status == 0)
        let foreign = temp.path("foreign.tar.zst.age")
        #expect(
            try CLI.run([
                "export", "latest", "--db", temp.path("other.db"), "--recipient", Self.recipient, "--output",
                foreign,
            ]).status == 0)
        let mixed = try kmsDrift([
            "rebuild", temp.path("backups/" + names[2]), foreign, "--identity", temp.path("key.txt"),
        ])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("they come from different stores"), "\(mixed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.path("node")))

        // Newest first on the command line: imported oldest first all the same.
        let rebuilt = try kmsDrift([
            "rebuild", temp.path("backups/" + names[2]), temp.path("backups/" + names[0]), "--identity",
            temp.path("key.txt"),
        ])
        #expect(rebuilt.status == 0, "\(rebuilt.stdout)\(rebuilt.stderr)")
        let imported = rebuilt.stdout.split(separator: "\n").filter { $0.hasPrefix("imported ") }
        #expect(imported.count == 2)
        #expect(
            imported.first?.contains("imported snapshot #1 of") == true
                && imported.first?.contains("as snapshot #1,") == true)
        #expect(
            imported.last?.contains("imported snapshot #3 of") == true
                && imported.last?.contains("as snapshot #2,") == true)
        #expect(rebuilt.stdout.contains("snapshot #2 (snapshot #3 of"))
        #expect(try temp.readText("node/kms-server.toml") == "[service]\nlisten_port = 3\n")
        let long = try kmsDrift(["list", "--long", "--no-status"]).stdout
        #expect(long.contains("import"), "\(long)")
    }
}
