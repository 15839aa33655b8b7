import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Exports read by the standard tools and imports of what the standard tools wrote: `age -d`
/// and `tar -x` give back the exact bytes, modes and links; a plain export encrypted by `age -r`
/// imports with our `--identity`; a wrong identity, a cut file and a flipped byte are refused
/// with exit status 2, writing nothing.
@Suite(
    "kms-drift export and import with age and tar", .temporaryDirectory,
    .enabled(
        if: Probe.executable(named: "age") != nil, "needs the age package (scripts/install-deps --tests)"))
struct BackupCommandTests {
    /// A watched tree with a TOML secret, a private key (0600), a symlink, a UTF-8 name, a long
    /// path, a file above 64 KiB (several age chunks) and an empty file, snapshotted once.
    struct Node {
        let directory: TemporaryDirectory
        var tree: String { directory.path("tree") }
        var database: String { directory.path("history.db") }
        let recipient: String
        var key: String { directory.path("key.txt") }

        init() throws {
            directory = try TemporaryDirectory.current()
            try directory.write(
                "tree/kms-server.toml", "[s3]\nsecret_access_key = \"hunter2\"\nport = 50001\n")
            try directory.write("tree/keys/party.key", randomBytes(300), mode: 0o600)
            try directory.write(
                "tree/certs/café.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
            try directory.write(
                "tree/" + String(repeating: "deep/", count: 30) + "node.toml", "threshold = 4\n")
            try directory.write("tree/big.bin", randomBytes(300_000, seed: 3), mode: 0o640)
            try directory.write("tree/empty.toml", "")
            try directory.write("tree/log.toml", String(repeating: "level = \"info\"\n", count: 8000))
            try FileManager.default.createSymbolicLink(
                atPath: directory.path("tree/current.toml"), withDestinationPath: "kms-server.toml")
            let snapshot = try CLI.run([
                "snapshot", "--dir", directory.path("tree"), "--db", directory.path("history.db"),
            ])
            #expect(snapshot.status == 0, "\(snapshot.stderr)")
            let keygen = try runProcess("/usr/bin/env", ["age-keygen", "-o", directory.path("key.txt")])
            #expect(keygen.status == 0)
            recipient = try runProcess("/usr/bin/env", ["age-keygen", "-y", directory.path("key.txt")]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func kmsDrift(_ arguments: [String]) throws -> ProcessResult {
            try CLI.run(arguments + ["--db", database])
        }

        func snapshotCount() throws -> Int {
            try kmsDrift(["list", "--no-status"]).stdout.split(separator: "\n").filter { $0.hasPrefix("#") }
                .count
        }
    }

    /// Every regular file, symlink and directory under `root`: relative path → what it is
    /// (bytes and mode for a file, target for a link).
    static func inventory(_ root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)!
        while let relative = enumerator.nextObject() as? String {
            let full = root + "/" + relative
            var status = stat()
            lstat(full, &status)
            switch status.st_mode & S_IFMT {
            case S_IFLNK:
                result[relative] = "link " + (try FileManager.default.destinationOfSymbolicLink(atPath: full))
            case S_IFREG:
                let bytes = try Data(contentsOf: URL(fileURLWithPath: full))
                result[relative] =
                    "file \(String(status.st_mode & 0o7777, radix: 8)) \(bytes.count) \(bytes.hashValue) "
                    + "mtime \(status.st_mtim.tv_sec)"
            default: break
            }
        }
        return result
    }

    @Test("age -d and tar -x give back the exact bytes, modes, links and mtimes")
    func standardToolsExtract() throws {
        let node = try Node()
        let export = node.directory.path("node.tar.zst.age")
        let exported = try node.kmsDrift([
            "export", "latest", "--output", export, "--recipient", node.recipient,
        ])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.contains("encrypted to 1 recipient"))

        let decrypted = node.directory.path("node.tar.zst")
        let age = try runProcess("/usr/bin/env", ["age", "-d", "-i", node.key, "-o", decrypted, export])
        #expect(age.status == 0, "\(age.stderr)")
        let out = try node.directory.makeDirectory("out").path
        let tar = try runProcess("/usr/bin/env", ["tar", "-x", "-f", decrypted, "-C", out])
        #expect(tar.status == 0, "\(tar.stderr)")
        var extracted = try Self.inventory(out)
        let manifest = extracted.removeValue(forKey: "kms-drift-manifest.json")
        #expect(manifest?.hasPrefix("file 600") == true)
        #expect(extracted == (try Self.inventory(node.tree)))

        // Uncompressed, through a pipe, as an operator types it.
        let plainExport = node.directory.path("node.tar.age")
        #expect(
            try node.kmsDrift([
                "export", "latest", "--output", plainExport, "--recipient", node.recipient, "--no-compress",
            ])
            .status == 0)
        let piped = try node.directory.makeDirectory("piped").path
        let pipeline = try runProcess(
            "/bin/sh",
            ["-c", "age -d -i \"$1\" \"$2\" | tar -x -C \"$3\"", "sh", node.key, plainExport, piped])
        #expect(pipeline.status == 0, "\(pipeline.stderr)")
        var pipedFiles = try Self.inventory(piped)
        pipedFiles.removeValue(forKey: "kms-drift-manifest.json")
        #expect(pipedFiles == (try Self.inventory(node.tree)))
    }

    @Test("a plain export encrypted by age -r imports with our --identity, unchanged, and restores exactly")
    func ageEncryptedImport() throws {
        let node = try Node()
        let plain = node.directory.path("node.tar")
        let refused = try node.kmsDrift(["export", "latest", "--output", plain])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("holds secrets"))
        #expect(refused.stderr.contains("keys/party.key is readable by its owner only (mode 600)"))
        #expect(refused.stderr.contains("kms-server.toml holds a secret at s3.secret_access_key"))
        #expect(!FileManager.default.fileExists(atPath: plain))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: node.directory.path).allSatisfy {
                !$0.hasPrefix(".")
            })

        #expect(try node.kmsDrift(["export", "latest", "--output", plain, "--plain"]).status == 0)
        let encrypted = node.directory.path("node.age")
        #expect(
            try runProcess("/usr/bin/env", ["age", "-r", node.recipient, "-o", encrypted, plain]).status == 0)
        let imported = try CLI.run(
            ["import", encrypted, "--identity", node.key, "--db", node.directory.path("other.db")])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("every hash checked"))
        let verify = try CLI.run(["verify", "--db", node.directory.path("other.db")])
        #expect(verify.status == 0, "\(verify.stderr)")
        let long = try CLI.run(["list", "--long", "--no-status", "--db", node.directory.path("other.db")])
        #expect(long.stdout.contains("import"))
        let restored = try node.directory.makeDirectory("restored").path
        let restore = try CLI.run([
            "restore", "latest", "--to", restored, "--db", node.directory.path("other.db"),
        ])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(
            try Self.inventory(restored).mapValues {
                $0.replacingOccurrences(of: #" mtime \d+"#, with: "", options: .regularExpression)
            }
                == (try Self.inventory(node.tree)).mapValues {
                    $0.replacingOccurrences(of: #" mtime \d+"#, with: "", options: .regularExpression)
                })

        // restore --from the encrypted export: nothing added to the history, the files back.
        let before = try node.snapshotCount()
        let fromExport = try node.directory.makeDirectory("from-export").path
        let restoreFrom = try node.kmsDrift([
            "restore", "--from", encrypted, "--identity", node.key, "--to", fromExport,
        ])
        #expect(restoreFrom.status == 0, "\(restoreFrom.stderr)")
        #expect(try node.snapshotCount() == before)
        #expect(try Self.inventory(fromExport).keys.sorted() == (try Self.inventory(node.tree)).keys.sorted())
    }

    @Test("a wrong identity, a cut file and a flipped byte are refused with exit 2, writing nothing")
    func damagedExports() throws {
        let node = try Node()
        let export = node.directory.path("node.age")
        #expect(
            try node.kmsDrift(["export", "latest", "--output", export, "--recipient", node.recipient]).status
                == 0)
        let bytes = try node.directory.read("node.age")
        let other = node.directory.path("other.txt")
        #expect(try runProcess("/usr/bin/env", ["age-keygen", "-o", other]).status == 0)
        let cut = try node.directory.write("cut.age", Array(bytes.prefix(bytes.count - 1000)))
        var flippedBytes = bytes
        flippedBytes[bytes.count / 2] ^= 0x40
        let flipped = try node.directory.write("flipped.age", flippedBytes)
        let cases: [(String, String, String)] = [
            (export, other, "none of the identities given can decrypt"),
            (cut, node.key, "damaged or was altered"),
            (flipped, node.key, "damaged or was altered"),
        ]
        let before = try node.snapshotCount()
        for (file, identity, message) in cases {
            let imported = try node.kmsDrift(["import", file, "--identity", identity])
            #expect(imported.status == 2, "\(file)")
            #expect(imported.stderr.contains(message), "\(imported.stderr)")
            #expect(try node.snapshotCount() == before)
            let target = try node.directory.makeDirectory(
                "restore-\(URL(fileURLWithPath: file).lastPathComponent)"
            ).path
            let restored = try node.kmsDrift([
                "restore", "--from", file, "--identity", identity, "--to", target,
            ])
            #expect(restored.status == 2, "\(file)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: target).isEmpty,
                "\(file) wrote into the target")
        }
        #expect(try node.kmsDrift(["verify"]).status == 0)
    }

    @Test("a damaged store is never exported: exit 2, no file left behind")
    func damagedStore() throws {
        let node = try Node()
        // Same length, other bytes, in the compressed 8000-line file and in the raw key.
        for path in ["log.toml", "keys/party.key"] {
            let sql = """
                UPDATE blob_chunks SET data = zeroblob(length(data)) WHERE blob_id = (SELECT s.blob_id FROM file_states s
                JOIN paths p ON p.id = s.path_id WHERE p.path = '\(path)')
                """
            let damage = try runProcess("/usr/bin/env", ["sqlite3", node.database, sql])
            #expect(damage.status == 0, "\(damage.stderr)")
            let export = node.directory.path("node.age")
            let exported = try node.kmsDrift([
                "export", "latest", "--output", export, "--recipient", node.recipient,
            ])
            #expect(exported.status == 2)
            #expect(
                exported.stderr.contains("no longer matches its SHA-256")
                    || exported.stderr.contains("does not decode"),
                "\(exported.stderr)")
            #expect(!FileManager.default.fileExists(atPath: export))
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: node.directory.path).allSatisfy {
                    !$0.hasPrefix(".")
                })
        }
    }

    @Test("export to standard output: the archive on stdout, the summary on stderr")
    func standardOutput() throws {
        let node = try Node()
        let exported = try node.kmsDrift(["export", "latest", "--output", "-", "--recipient", node.recipient])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.standardOutput.starts(with: Array("age-encryption.org/v1\n".utf8)))
        #expect(exported.stderr.contains("to standard output"))
        let file = try node.directory.write("stdout.age", exported.standardOutput)
        let imported = try CLI.run([
            "import", file, "--identity", node.key, "--db", node.directory.path("other.db"),
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
    }
}
