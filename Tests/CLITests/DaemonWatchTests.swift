import Foundation
import Glibc
import TestSupport
import Testing

/// `kms-drift daemon` noticing changes through inotify, end to end: the built binary, real files
/// changed the way editors, configuration tools and Kubernetes change them, a 60 s interval so that
/// every cycle after the first is one the watch started. Each pattern must give exactly one cycle
/// and one alert naming the right key path; the tests wait on the daemon's notifications, and the
/// only fixed wait is the quiet second in which a second cycle would have shown up.
@Suite("kms-drift daemon: changes noticed as they happen", .serialized, .temporaryDirectory)
struct DaemonWatchTests {
    static let peerAddress = "address = \"party3.kms-production.example.org\""
    static let movedAddress = "address = \"party3-moved.kms-production.example.org\""
    static let peerKeyPath = "party1.toml:threshold.peers[party_id=3].address"

    /// The ways a configuration file is changed in the field.
    enum Pattern: String, CaseIterable, CustomTestStringConvertible {
        case inPlaceWrite = "in-place write"
        case renameOver = "write a temporary file, then rename it over (vim, sed -i, Ansible)"
        case configMap = "Kubernetes ConfigMap update: new ..TIMESTAMP directory, ..data swapped by rename"
        case chmodOnly = "chmod only"
        case deleteAndRecreate = "delete, then create again"
        case subdirectoryMovedIn = "a whole subdirectory moved in"

        var testDescription: String { rawValue }
    }

    @Test("each pattern is one cycle and one alert with the right key path", arguments: Pattern.allCases)
    func pattern(_ pattern: Pattern) throws {
        let root = try TemporaryDirectory.current()
        let watched: URL
        if pattern == .configMap {
            // The layout kubelet writes: the files in a timestamped directory, `..data` pointing at
            // it; the daemon watches `..data`, so paths are `party1.toml` whatever the timestamp.
            try writePartyDirectory(try root.makeDirectory("mount/..2026_01_01_00_00_00.1"), parties: 1)
            #expect(symlink("..2026_01_01_00_00_00.1", root.path("mount/..data")) == 0)
            #expect(symlink("..data/party1.toml", root.path("mount/party1.toml")) == 0)
            watched = root.url("mount/..data")
        } else {
            watched = try root.makeDirectory("watched")
            try writePartyDirectory(watched, parties: 1)
        }
        let daemon = try WatchedDaemon(root: root, watched: watched)
        let original = try String(contentsOf: watched.appendingPathComponent("party1.toml"), encoding: .utf8)
        let drifted = original.replacingOccurrences(of: Self.peerAddress, with: Self.movedAddress)
        #expect(drifted != original)
        let party = watched.appendingPathComponent("party1.toml").path

        switch pattern {
        case .inPlaceWrite:
            try Self.write(drifted, to: party, flags: O_WRONLY | O_TRUNC)
        case .renameOver:
            try Self.write(drifted, to: party + ".tmp", flags: O_WRONLY | O_CREAT | O_TRUNC)
            #expect(rename(party + ".tmp", party) == 0)
        case .configMap:
            let mount = root.path("mount")
            #expect(mkdir(mount + "/..2026_01_02_00_00_00.2", 0o755) == 0)
            try Self.write(
                drifted, to: mount + "/..2026_01_02_00_00_00.2/party1.toml",
                flags: O_WRONLY | O_CREAT | O_TRUNC)
            #expect(symlink("..2026_01_02_00_00_00.2", mount + "/..data_tmp") == 0)
            #expect(rename(mount + "/..data_tmp", mount + "/..data") == 0)
            #expect(unlink(mount + "/..2026_01_01_00_00_00.1/party1.toml") == 0)
            #expect(rmdir(mount + "/..2026_01_01_00_00_00.1") == 0)
        case .chmodOnly:
            #expect(chmod(party, 0o600) == 0)
        case .deleteAndRecreate:
            #expect(unlink(party) == 0)
            try Self.write(drifted, to: party, flags: O_WRONLY | O_CREAT | O_TRUNC)
        case .subdirectoryMovedIn:
            let staging = try root.makeDirectory("staging/extra/deeper")
            try writePartyDirectory(staging, parties: 1)
            #expect(rename(root.path("staging/extra"), watched.appendingPathComponent("extra").path) == 0)
        }

        #expect(daemon.cyclesAfterChange() == 1, "\(daemon.stderr)")
        let drifts = daemon.hookEvents("drift")
        switch pattern {
        case .chmodOnly:
            // A mode change between snapshots is drift (a key made world-readable, a config made
            // private): one cycle, one alert naming the file.
            #expect(drifts.count == 1, "\(daemon.stderr)")
            #expect(Self.keyPaths(drifts.first) == ["party1.toml"], "\(drifts)")
            let show = try CLI.run(["show", "latest", "--db", daemon.database])
            #expect(show.stdout.contains("600  "), "\(show.stdout)")
        case .subdirectoryMovedIn:
            #expect(drifts.count == 1, "\(daemon.stderr)")
            #expect(Self.keyPaths(drifts.first).contains("extra/deeper/party1.toml"), "\(drifts)")
        default:
            #expect(drifts.count == 1, "\(daemon.stderr)")
            #expect(Self.keyPaths(drifts.first) == [Self.peerKeyPath], "\(drifts)")
        }
        #expect(daemon.hookEvents("error").isEmpty, "\(daemon.stderr)")
        try daemon.stop()
    }

    @Test(
        "a burst of 20,000 creates overflows the kernel's queue: one full scan, and it finds them all",
        .enabled(if: Self.maxQueuedEvents < 40_000, "fs.inotify.max_queued_events is too large to overflow"))
    func overflow() throws {
        let root = try TemporaryDirectory.current()
        let watched = try root.makeDirectory("watched")
        try writePartyDirectory(watched, parties: 1)
        let daemon = try WatchedDaemon(root: root, watched: watched)
        // Stopped, the daemon reads nothing: 20,000 creates queue 40,000 events, past the limit.
        daemon.daemon.signal(SIGSTOP)
        for index in 0..<20_000 {
            let descriptor = open(
                watched.appendingPathComponent("burst-\(index).toml").path, O_WRONLY | O_CREAT, 0o644)
            #expect(descriptor >= 0)
            close(descriptor)
        }
        daemon.daemon.signal(SIGCONT)
        #expect(daemon.cyclesAfterChange(timeout: 120, quiet: 1.5) == 1, "\(daemon.stderr)")
        #expect(
            daemon.stderr.components(separatedBy: "inotify queue overflowed").count == 2, "\(daemon.stderr)")
        let list = try CLI.run(["list", "--no-status", "--db", daemon.database])
        let latest = list.stdout.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
        #expect(latest.contains(" 20001 "), "\(list.stdout)")
        #expect(daemon.hookEvents("drift").count == 1)
        try daemon.stop()
    }

    @Test(
        "a watch limit (lowered in a user namespace) is one error naming the sysctl; the interval goes on",
        .enabled(if: Self.canLowerWatchLimit, "no user namespace with its own inotify limits here"))
    func watchLimit() throws {
        let root = try TemporaryDirectory.current()
        let watched = try root.makeDirectory("watched")
        try writePartyDirectory(watched, parties: 1)
        for directory in ["a", "b", "c", "d"] { try root.makeDirectory("watched/" + directory) }
        // Three watches: the parent, the root, `a`; `b` hits the limit.
        let daemon = try WatchedDaemon(
            root: root, watched: watched, interval: 2,
            launcher: [
                "/usr/bin/unshare", "--user", "--map-root-user", "/bin/sh", "-c",
                "echo 3 > /proc/sys/user/max_inotify_watches && exec \"$0\" \"$@\"",
            ])
        // Hooks run off the daemon's loop: READY can come before the error's hook has written.
        #expect(eventually(timeout: 30) { !daemon.hookEvents("error").isEmpty }, "\(daemon.stderr)")
        let errors = daemon.hookEvents("error")
        #expect(errors.count == 1, "\(daemon.stderr)")
        let message = errors.first?["error"] as? String ?? ""
        #expect(message.contains("fs.inotify.max_user_watches"), "\(message)")
        #expect(message.contains("every 2 s"), "\(message)")

        // Interval-only: a change waits for the next interval (2 s after the last cycle started),
        // where a watch would have started a cycle 0.2 s after it.
        let cycle = try #require(daemon.daemon.waitForCycle(atLeast: daemon.cycle + 1))
        let party = watched.appendingPathComponent("party1.toml").path
        let changed = ContinuousClock.now
        try Self.write(
            try String(contentsOfFile: party, encoding: .utf8).replacingOccurrences(
                of: Self.peerAddress, with: Self.movedAddress), to: party, flags: O_WRONLY | O_TRUNC)
        #expect(daemon.daemon.waitForCycle(atLeast: cycle + 1) != nil)
        #expect(ContinuousClock.now - changed > .seconds(1), "a cycle came too soon for interval-only")
        #expect(eventually { daemon.hookEvents("drift").count == 1 }, "\(daemon.stderr)")
        #expect(daemon.hookEvents("error").count == 1, "the watch limit was reported again")
        try daemon.stop()
    }

    @Test(
        "the database, event log and metrics beside the tree never start a cycle; a change in the tree does")
    func ownWritesStartNothing() throws {
        let root = try TemporaryDirectory.current()
        let watched = try root.makeDirectory("watched")
        try writePartyDirectory(watched, parties: 1)
        let daemon = try WatchedDaemon(root: root, watched: watched)
        try root.write("unrelated.txt", "beside the tree, not in it\n")
        #expect(
            daemon.daemon.waitForCycle(atLeast: daemon.cycle + 1, timeout: 1.5) == nil, "\(daemon.stderr)")

        let party = watched.appendingPathComponent("party1.toml").path
        try Self.write(
            try String(contentsOfFile: party, encoding: .utf8).replacingOccurrences(
                of: Self.peerAddress, with: Self.movedAddress), to: party, flags: O_WRONLY | O_TRUNC)
        // The drift cycle writes the database, an event log line and the metrics: none of it
        // starts another cycle (the quiet second after it would show one).
        #expect(daemon.cyclesAfterChange(quiet: 1.5) == 1, "\(daemon.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.path("events.jsonl")))
        #expect(daemon.hookEvents("drift").count == 1)
        try daemon.stop()
    }

    @Test("watch = false restores interval-only: a change waits for the interval")
    func watchOff() throws {
        let root = try TemporaryDirectory.current()
        let watched = try root.makeDirectory("watched")
        try writePartyDirectory(watched, parties: 1)
        let daemon = try WatchedDaemon(root: root, watched: watched, watch: false)
        try root.write("watched/party1.toml", "changed = true\n")
        #expect(
            daemon.daemon.waitForCycle(atLeast: daemon.cycle + 1, timeout: 1.5) == nil, "\(daemon.stderr)")
        try daemon.stop()
    }

    // MARK: - Support

    /// Writes `text` to `path` with one `open`, one `write` and one `close`, as the pattern says.
    static func write(_ text: String, to path: String, flags: Int32) throws {
        let descriptor = open(path, flags | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count
        else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    static func keyPaths(_ event: [String: Any]?) -> [String] { event?["key_paths"] as? [String] ?? [] }

    static let maxQueuedEvents: Int = {
        let text =
            (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8)) ?? ""
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? Int.max
    }()

    /// Whether an unprivileged user namespace with its own inotify limits can be made here.
    static let canLowerWatchLimit: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
        let probe = try? runProcess(
            "/usr/bin/unshare",
            ["--user", "--map-root-user", "/bin/sh", "-c", "echo 3 > /proc/sys/user/max_inotify_watches"],
            timeout: 30)
        return probe?.status == 0
    }()
}

/// A daemon on a watched tree, with the database, event log and metrics beside the tree (in its
/// parent), a 60 s interval, and hooks that keep each drift and error event as a file.
final class WatchedDaemon {
    let daemon: DaemonProcess
    let events: URL
    let database: String
    /// The last cycle seen.
    private(set) var cycle = 1

    init(
        root: TemporaryDirectory, watched: URL, interval: Int = 60, watch: Bool = true,
        launcher: [String] = []
    ) throws {
        events = try root.makeDirectory("hook-events")
        database = root.path("history.db")
        let record = try root.script("record.sh", "cat > \"$OUT/$KMS_DRIFT_EVENT.$(date +%s%N).json\"")
        let configuration = try root.write(
            "kms-drift.toml",
            """
            [watch]
            directory = "\(watched.path)"
            [store]
            database = "\(database)"
            [schedule]
            interval_seconds = \(interval)
            watch = \(watch)
            [log]
            json_file = "\(root.path("events.jsonl"))"
            [metrics]
            textfile = "\(root.path("kms-drift.prom"))"
            [[hooks]]
            name = "record"
            on = ["drift", "error"]
            command = ["\(record)"]
            environment = { OUT = "\(events.path)" }
            """)
        daemon = try DaemonProcess(arguments: ["--config", configuration], in: root.url, launcher: launcher)
        guard daemon.waitForNotification(timeout: 30, { $0.contains("READY=1") }) != nil else {
            throw DaemonDidNotStart(stderr: daemon.stderr)
        }
    }

    var stderr: String { daemon.stderr }

    /// The events hooks received of `kind`, oldest first, as JSON objects.
    func hookEvents(_ kind: String) -> [[String: Any]] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: events.path)) ?? [])
            .filter { $0.hasPrefix(kind + ".") }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: events.appendingPathComponent(name).path)
            else {
                return nil
            }
            return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        }
    }

    /// Waits for the cycle a change starts, then `quiet` seconds more in which a second one would
    /// show: how many cycles the change caused (0 when none came within `timeout`).
    func cyclesAfterChange(timeout: Double = 20, quiet: Double = 1.0) -> Int {
        guard var last = daemon.waitForCycle(atLeast: cycle + 1, timeout: timeout) else { return 0 }
        while let more = daemon.waitForCycle(atLeast: last + 1, timeout: quiet) { last = more }
        defer { cycle = last }
        return last - cycle
    }

    func stop() throws {
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0, "\(daemon.stderr)")
    }
}

struct DaemonDidNotStart: Error, CustomStringConvertible {
    let stderr: String
    var description: String { "the daemon sent no READY=1: \(stderr)" }
}
