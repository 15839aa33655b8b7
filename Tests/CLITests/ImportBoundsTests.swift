import Foundation
import TestSupport
import Testing

/// `import` is bounded by what it reads, whatever the export claims: each bound is a crafted
/// archive (under 1 MB on disk), refused with exit 2, nothing kept, and the importing process's
/// peak memory (VmHWM, read as the child's maximum resident set) under 64 MiB plus the largest file.
@Suite(
    "import bounds", .temporaryDirectory,
    .enabled(
        if: Probe.executable(named: "python3") != nil && Probe.executable(named: "zstd") != nil,
        "needs python3 and zstd to craft archives"))
struct ImportBoundsTests {
    /// Crafts an export from a plain one (`export --plain --no-compress`): `craft IN OUT MODE`.
    /// Modified manifests are chained again (manifest hash, chain hash) as kms-drift chains them,
    /// so what is refused is the bound, not a broken hash.
    static let crafter = #"""
        import hashlib, io, json, subprocess, sys, tarfile
        source, target, mode = sys.argv[1], sys.argv[2], sys.argv[3]
        archive = tarfile.open(source)
        members = archive.getmembers()
        manifest = json.load(archive.extractfile(members[0]))
        entries = [(m, archive.extractfile(m).read() if m.isfile() else None) for m in members[1:]]

        def rechain(manifest):
            manifest["files"].sort(key=lambda f: bytes.fromhex(f["path_hex"]))
            def field(value): return "-" if value is None else str(value)
            canonical = "".join(" ".join([f["kind"], f["mode"], field(f["uid"]), field(f["gid"]), str(f["size"]),
                field(f["sha256"]), f["path_hex"], field(f["detail_hex"])]) + "\n" for f in manifest["files"])
            manifest_hash = hashlib.sha256(canonical.encode()).hexdigest()
            s, c = manifest["snapshot"], manifest["chain"]
            def hx(value): return "-" if value is None else value.encode().hex()
            header = ("kms-drift chain v1\nsnapshot %d\nprevious %s\ntaken_at_ns %d\nroot %s\nhost %s\nmachine_id %s\n"
                "tool_version %s\norigin %s\nnote %s\nnetwork_fingerprint %s\nmanifest %s\n") % (
                s["id"], c["previous"][7:], s["taken_at_ns"], hx(s["root"]), hx(s["host"]), hx(s["machine_id"]),
                hx(s["version"]), s["origin"], hx(s["note"]), hx(s["network_fingerprint"]), manifest_hash)
            c["manifest"] = "sha256:" + manifest_hash
            c["hash"] = "sha256:" + hashlib.sha256(header.encode()).hexdigest()
            c["signature"] = None

        def add(path, kind, data=None, target=None):
            info = tarfile.TarInfo(path)
            info.uid = info.gid = 0
            if kind == "link":
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, target, 0o777
            else:
                info.mode, info.size = 0o644, len(data)
            entries.append((info, data))
            manifest["files"].append({"path": path, "path_hex": path.encode().hex(), "kind": kind,
                "mode": "0777" if kind == "link" else "0644", "uid": 0, "gid": 0,
                "size": 0 if kind == "link" else len(data), "mtime_ns": 0,
                "sha256": None if kind == "link" else hashlib.sha256(data).hexdigest(), "in_archive": True,
                "detail_hex": target.encode().hex() if target else None})

        manifest_bytes = None
        if mode == "rechained":
            rechain(manifest)
        elif mode == "under-symlink":
            add("d", "link", target="elsewhere")
            add("d/x.toml", "file", data=b"a = 1\n")
            rechain(manifest)
        elif mode == "under-file":
            add("f", "file", data=b"a = 1\n")
            add("f/x.toml", "file", data=b"b = 2\n")
            rechain(manifest)
        elif mode == "missing-files":
            entries = []
        elif mode == "huge-manifest":
            manifest_bytes = b" " * (20 << 20)
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as written:
            data = manifest_bytes if manifest_bytes is not None else json.dumps(manifest).encode()
            info = tarfile.TarInfo("kms-drift-manifest.json")
            info.size, info.mode = len(data), 0o600
            written.addfile(info, io.BytesIO(data))
            for info, data in entries:
                written.addfile(info, io.BytesIO(data) if data is not None else None)
        compressed = subprocess.run(["zstd", "-19", "-c"], input=out.getvalue(), capture_output=True, check=True).stdout
        if mode == "trailing-zeros":
            # 64 MiB of zeros after the archive's end, in a second zstd frame of a few KB.
            compressed += subprocess.run(["zstd", "-3", "-c"], input=bytes(64 << 20), capture_output=True,
                check=True).stdout
        open(target, "wb").write(compressed)
        """#

    /// Runs `kms-drift arguments` and returns its result with its peak resident memory in KiB.
    static let measured = #"""
        import resource, subprocess, sys
        child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = child.communicate()
        sys.stdout.write(out.decode(errors="replace"))
        sys.stderr.write(err.decode(errors="replace"))
        sys.stderr.write("\nPEAK-KIB %d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        sys.exit(child.returncode)
        """#

    struct Node {
        let directory: TemporaryDirectory
        let plainExport: String

        init() throws {
            directory = try TemporaryDirectory.current()
            try directory.write("tree/kms-server.toml", "[service]\nlisten_port = 50100\n")
            try directory.write("tree/big.bin", [UInt8](repeating: 7, count: 2 << 20))
            let snapshot = try CLI.run([
                "snapshot", "--dir", directory.path("tree"), "--db", directory.path("a.db"),
            ])
            #expect(snapshot.status == 0, "\(snapshot.stderr)")
            plainExport = directory.path("plain.tar")
            let export = try CLI.run([
                "export", "latest", "--plain", "--no-compress", "--output", plainExport, "--db",
                directory.path("a.db"),
            ])
            #expect(export.status == 0, "\(export.stderr)")
        }

        func craft(_ mode: String) throws -> String {
            let output = directory.path(mode + ".tar.zst")
            let crafted = try runProcess(
                "/usr/bin/env", ["python3", "-c", ImportBoundsTests.crafter, plainExport, output, mode])
            #expect(crafted.status == 0, "\(crafted.stderr)")
            return output
        }

        /// `kms-drift import FILE` into a new store, with a configuration setting max_file_size.
        func importing(_ file: String, into database: String, maxFileSize: Int = 4 << 20) throws -> (
            ProcessResult, Int
        ) {
            let config = try directory.write(
                "import.toml", "[watch]\ndirectory = \"tree\"\nmax_file_size = \(maxFileSize)\n")
            let result = try runProcess(
                "/usr/bin/env",
                [
                    "python3", "-c", ImportBoundsTests.measured, CLI.binary.path, "import", file, "--config",
                    config,
                    "--db", database,
                ],
                environment: CLI.environment())
            let peak =
                result.stderr.split(separator: "\n").last { $0.hasPrefix("PEAK-KIB ") }
                .flatMap { Int($0.dropFirst("PEAK-KIB ".count)) } ?? Int.max
            return (result, peak)
        }

        func snapshots(in database: String) throws -> Int {
            try CLI.run(["list", "--no-status", "--db", database]).stdout.split(separator: "\n")
                .filter { $0.hasPrefix("#") }.count
        }
    }

    @Test("an export chained again by the crafter imports: the refusals below are the bounds")
    func crafterIsSound() throws {
        let node = try Node()
        let (result, _) = try node.importing(try node.craft("rechained"), into: node.directory.path("b.db"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("it was not signed"))
    }

    @Test(
        "a crafted export is refused with exit 2, nothing kept, in bounded memory",
        arguments: [
            ("huge-manifest", "above the 8 MiB"),
            ("missing-files", "its manifest lists"),
            ("trailing-zeros", "the end of the tar archive"),
            ("under-symlink", "below d, which is a symlink"),
            ("under-file", "below f, which is not a directory"),
            ("big-file", "above [watch] max_file_size"),
        ])
    func refused(_ mode: String, _ message: String) throws {
        let node = try Node()
        let file = mode == "big-file" ? try node.craft("rechained") : try node.craft(mode)
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? .max
        #expect(size < 1 << 20, "the crafted archive is \(size) bytes")
        let database = node.directory.path("b.db")
        let (result, peakKiB) = try node.importing(
            file, into: database, maxFileSize: mode == "big-file" ? 1 << 20 : 4 << 20)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try node.snapshots(in: database) == 0)
        // 64 MiB plus the largest file of the export (2 MiB).
        #expect(peakKiB < (64 << 10) + (2 << 10), "peak memory \(peakKiB) KiB")
    }

    @Test(
        "import --public-key checks the link's signature; without it, import says whether the export was signed"
    )
    func signatures() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a.toml", "a = 1\n")
        #expect(try CLI.run(["keygen", "--output", temp.path("signing.key")]).status == 0)
        #expect(try CLI.run(["keygen", "--output", temp.path("other.key")]).status == 0)
        let config = try temp.write(
            "signed.toml",
            "[watch]\ndirectory = \"tree\"\n[store]\ndatabase = \"signed.db\"\nsigning_key = \"signing.key\"\n"
        )
        #expect(try CLI.run(["snapshot", "--config", config]).status == 0)
        #expect(
            try CLI.run([
                "export", "latest", "--plain", "--output", temp.path("signed.tar"), "--config", config,
            ]).status == 0)
        #expect(
            try CLI.run(["snapshot", "--dir", temp.path("tree"), "--db", temp.path("plain.db")]).status == 0)
        #expect(
            try CLI.run([
                "export", "latest", "--plain", "--output", temp.path("unsigned.tar"), "--db",
                temp.path("plain.db"),
            ])
            .status == 0)
        func importing(_ file: String, _ key: String?, into database: String) throws -> ProcessResult {
            try CLI.run(
                ["import", temp.path(file), "--db", temp.path(database)]
                    + (key.map { ["--public-key", temp.path($0)] } ?? []))
        }
        let verified = try importing("signed.tar", "signing.key.pub", into: "a.db")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("its signature verified with the public key"))
        let unchecked = try importing("signed.tar", nil, into: "b.db")
        #expect(unchecked.stdout.contains("it was signed (not checked: give --public-key to check it)"))
        #expect(try importing("unsigned.tar", nil, into: "c.db").stdout.contains("it was not signed"))
        for (file, key, message) in [
            ("signed.tar", "other.key.pub", "does not verify with the public key given"),
            ("unsigned.tar", "signing.key.pub", "is not signed"),
        ] {
            let refused = try importing(file, key, into: "d.db")
            #expect(refused.status == 2)
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
            #expect(
                try CLI.run(["list", "--no-status", "--db", temp.path("d.db")]).stdout.hasPrefix(
                    "no snapshots"))
        }
    }
}
