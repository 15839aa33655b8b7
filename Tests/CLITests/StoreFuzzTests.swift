import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A seeded fuzz of the history database: 200 times, a random byte range of the database file is
/// overwritten with random bytes, then `verify`, `restore` and `show` run on it. Each must exit
/// 0, 1 or 2 (never a signal), within 10 s; `verify` says 0 or 2; `restore` writes files that are
/// byte-exact or none at all (`--partial`: only byte-exact ones).
@Suite("Fuzz: a damaged database never gives back a wrong byte", .temporaryDirectory)
struct StoreFuzzTests {
    /// Fixed, so CI is deterministic; `KMS_DRIFT_FUZZ_SEED=n swift test --filter StoreFuzz` explores others.
    static let seed: UInt64 =
        ProcessInfo.processInfo.environment["KMS_DRIFT_FUZZ_SEED"].flatMap { UInt64($0) }
        ?? 0x6b6d_732d_6472_6966
    static let rounds = 200

    @Test("200 seeded damages of the database file")
    func fuzz() throws {
        let root = try TemporaryDirectory.current().url
        let watched = root.appendingPathComponent("watched")
        // Small on purpose (a few pages per table): every round must stay cheap.
        var files: [String: [UInt8]] = [
            "kms-server.toml": Array("[service]\nlisten_port = 50100\n[threshold]\nthreshold = 4\n".utf8),
            "peers.toml": Array(
                String(repeating: "[[peer]]\nparty_id = 1\naddress = \"p.example\"\n", count: 60).utf8),
            "certs/key.pem": Array("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n".utf8),
        ]
        var generator = SplitMix(seed: Self.seed)
        files["certs/blob.bin"] = (0..<3000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for (path, bytes) in files {
            let url = watched.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        let pristine = root.appendingPathComponent("pristine.db").path
        #expect(try CLI.run(["snapshot", "--dir", watched.path, "--db", pristine]).status == 0)
        #expect(sqlite(pristine, "PRAGMA wal_checkpoint(TRUNCATE)") == 0)
        let original = try #require(FileManager.default.contents(atPath: pristine))

        var outcomes: [String: Int] = [:]
        for round in 0..<Self.rounds {
            let database = root.appendingPathComponent("round.db").path
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: database + suffix)
            }
            var damaged = [UInt8](original)
            let length = Int(generator.next() % 64) + 1
            let offset = Int(generator.next() % UInt64(damaged.count - length))
            for index in offset..<(offset + length) {
                damaged[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            try Data(damaged).write(to: URL(fileURLWithPath: database))
            chmod(database, 0o600)
            let place = "round \(round) (seed \(Self.seed), bytes \(offset)..<\(offset + length))"

            let verify = try BoundedRun.run(["verify", "--db", database])
            #expect(
                verify.status == 0 || verify.status == 2,
                "verify \(place): \(verify.signal.map { "signal \($0)" } ?? "") \(verify.stderr)")
            #expect(!verify.timedOut && verify.seconds < 10, "verify ran past 10 s, \(place)")

            let partial = round % 2 == 1
            let out = root.appendingPathComponent("out-\(round)")
            let restore = try BoundedRun.run(
                ["restore", "1", "--db", database, "--to", out.path] + (partial ? ["--partial"] : []))
            #expect(restore.status == 0 || restore.status == 2, "restore \(place): \(restore.stderr)")
            #expect(!restore.timedOut && restore.seconds < 10, "restore ran past 10 s, \(place)")
            let written = regularFiles(under: out.path)
            for (path, bytes) in written {
                #expect(files[path] == bytes, "restore wrote a wrong byte into \(path), \(place)")
            }
            if restore.status == 0 {
                #expect(
                    written.count == files.count,
                    "restore said complete but wrote \(written.keys.sorted()), \(place)")
            } else if !partial {
                #expect(written.isEmpty, "a refused restore wrote \(written.keys.sorted()), \(place)")
            }
            try? FileManager.default.removeItem(at: out)

            let show = try BoundedRun.run(["show", "1", "peers.toml", "--db", database])
            #expect(show.status == 0 || show.status == 2, "show \(place): \(show.stderr)")
            #expect(!show.timedOut && show.seconds < 10, "show ran past 10 s, \(place)")
            if show.status == 0 {
                #expect(Array(show.stdout.utf8) == files["peers.toml"], "show printed a wrong byte, \(place)")
            }

            let key = "verify \(verify.status ?? -1), restore \(restore.status ?? -1)"
            outcomes[key, default: 0] += 1
        }
        // The fuzz reaches both sides: damage found and damage in unused bytes.
        #expect(outcomes.keys.contains { $0.hasPrefix("verify 2") }, "\(outcomes)")
        #expect(outcomes.keys.contains { $0.hasPrefix("verify 0") }, "\(outcomes)")
    }

    /// Every regular file below `directory`, by relative path.
    private func regularFiles(under directory: String) -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return result }
        while let relative = enumerator.nextObject() as? String {
            let full = directory + "/" + relative
            var status = stat()
            guard lstat(full, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            result[relative] = [UInt8](FileManager.default.contents(atPath: full) ?? Data())
        }
        return result
    }
}

/// A seeded generator (SplitMix64), so a failing round can be replayed.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
