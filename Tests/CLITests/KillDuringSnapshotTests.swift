import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// kill -9 at random moments during snapshots of a large tree: after each kill the database
/// verifies, its hash chain is whole (one intact link per snapshot), and every snapshot that
/// completed restores byte-identical to the tree it recorded.
@Suite("kms-drift snapshot survives kill -9", .temporaryDirectory)
struct KillDuringSnapshotTests {
    /// Content fingerprint of a tree: relative path → SHA-256, computed by Python's hashlib
    /// (fast even when this test runs as a debug build).
    typealias Manifest = [String: String]

    static func manifest(of directory: URL) throws -> Manifest {
        let script = """
            import hashlib, json, os, sys
            root = sys.argv[1]
            out = {}
            for base, _, files in os.walk(root):
                for name in files:
                    path = os.path.join(base, name)
                    with open(path, 'rb') as f:
                        out[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
            json.dump(out, sys.stdout)
            """
        let result = try runProcess("/usr/bin/env", ["python3", "-c", script, directory.path])
        return try JSONDecoder().decode(Manifest.self, from: Data(result.standardOutput))
    }

    /// Rewrites 150 files of the tree (the generator's `touch`), so each snapshot has work to do.
    static func touch(_ tree: URL, seed: Int) throws {
        try WorkloadGenerator.run(["touch", tree.path, "--files", "150", "--seed", String(seed)])
    }

    static func snapshotIDs(_ database: String) throws -> [Int] {
        let list = try CLI.run(["list", "--no-status", "--db", database])
        return list.stdout.split(separator: "\n").compactMap { line in
            line.hasPrefix("#") ? Int(line.dropFirst().prefix { $0.isNumber }) : nil
        }
    }

    @Test("50 kills at random moments")
    func randomKills() throws {
        let root = try TemporaryDirectory.current().url
        let tree = root.appendingPathComponent("tree")
        let database = root.appendingPathComponent("history.db").path
        try WorkloadGenerator.run(["tree", tree.path, "--files", "1200", "--mb", "12"])

        var manifests: [Int: Manifest] = [:]  // snapshot id → the tree it recorded
        var rng = SplitMix64(seed: 20_261_125)

        // Two uninterrupted snapshots: the full first one, and an incremental one to calibrate how
        // long a snapshot of the changed tree takes; kills then land anywhere in 0…1.5 × that.
        var incremental: TimeInterval = 0
        for seed in [1000, 1001] {
            if seed == 1001 { try Self.touch(tree, seed: seed) }
            let start = Date()
            let result = try CLI.run(["snapshot", "--dir", tree.path, "--db", database])
            incremental = Date().timeIntervalSince(start)
            try #require(result.status == 0 || result.status == 1, "\(result.stderr)")
            manifests[try Self.snapshotIDs(database).max() ?? 0] = try Self.manifest(of: tree)
        }
        let window = UInt64(max(incremental * 1.5, 0.05) * 1_000_000)
        var killedMidway = 0
        var completed = 0
        var kills = 0
        var consecutiveKills = 0
        var iteration = 0
        while kills < 50 {
            iteration += 1
            // Change a share of the tree so that every snapshot has real work to do.
            try Self.touch(tree, seed: iteration)
            let before = try Self.snapshotIDs(database)
            // A killed snapshot leaves its work to the next one; after four kills in a row one run
            // is let through, so the work (and the kill window) stays comparable.
            let letThrough = consecutiveKills == 4

            let snapshot = try RunningProcess(
                CLI.binary.path, ["snapshot", "--dir", tree.path, "--db", database],
                environment: CLI.environment())
            if !letThrough {
                usleep(UInt32(rng.next() % window))
                snapshot.signal(SIGKILL)
                kills += 1
            }
            if try snapshot.wait().terminatedBySignal {
                killedMidway += 1
                consecutiveKills += 1
            } else {
                consecutiveKills = 0
            }

            let verify = try CLI.run(["verify", "--db", database])
            #expect(verify.status == 0, "iteration \(iteration): \(verify.stderr)")
            let after = try Self.snapshotIDs(database)
            // The chain is never half-written: one link per snapshot, held or rotated, and intact.
            #expect(
                verify.stdout.contains("links intact (\(after.count) held"),
                "iteration \(iteration): \(verify.stdout)")
            let new = Set(after).subtracting(before)
            #expect(new.count <= 1)
            if let id = new.first {
                completed += 1
                // The tree has not changed since the snapshot started: it is what the snapshot holds.
                manifests[id] = try Self.manifest(of: tree)
            }
        }
        #expect(killedMidway >= 25, "most kills should land while the snapshot runs (\(killedMidway))")
        #expect(completed >= 3, "some snapshots should complete between kills (\(completed))")

        // Every snapshot still held restores byte-identical to what it recorded.
        for id in try Self.snapshotIDs(database) {
            guard let expected = manifests[id] else { continue }
            let target = root.appendingPathComponent("restore-\(id)")
            let restored = try CLI.run(["restore", String(id), "--to", target.path, "--db", database])
            #expect(restored.status == 0, "\(restored.stderr)")
            #expect(try Self.manifest(of: target) == expected, "snapshot #\(id) does not restore identically")
        }
        print(
            "kill -9 test: \(killedMidway) of 50 kills landed midway, \(completed) completed in between; window \(window / 1000) ms"
        )
    }
}
