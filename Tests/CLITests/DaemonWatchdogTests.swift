import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hooks run off the daemon's queue: while a hook runs for 10 s, the systemd watchdog keeps
/// getting its pings and cycles keep coming.
@Suite("kms-drift daemon: a slow hook does not starve the watchdog", .temporaryDirectory)
struct DaemonWatchdogTests {
    @Test("WATCHDOG=1 and cycles continue during a 10 s hook")
    func pingsDuringSlowHook() throws {
        let root = try TemporaryDirectory.current().url
        let watched = root.appendingPathComponent("watched")
        let reference = root.appendingPathComponent("reference")
        try writeFile("port = 1\n", to: watched.appendingPathComponent("node.toml"))
        try writeFile("port = 2\n", to: reference.appendingPathComponent("node.toml"))
        let started = root.appendingPathComponent("started").path
        let finished = root.appendingPathComponent("finished").path
        let hook = try writeFile(
            "#!/bin/sh\ntouch \"\(started)\"\nsleep 10\ntouch \"\(finished)\"\n",
            to: root.appendingPathComponent("slow.sh"))
        chmod(hook, 0o755)
        let config = try writeFile(
            """
            [watch]
            directory = "\(watched.path)"
            [store]
            database = "\(root.appendingPathComponent("h.db").path)"
            [reference]
            mode = "directory"
            directory = "\(reference.path)"
            [[hooks]]
            name = "slow"
            on = ["drift"]
            command = ["\(hook)"]
            timeout_seconds = 60
            """, to: root.appendingPathComponent("kms-drift.toml"))
        // WATCHDOG_USEC = 1 s: a ping every 0.5 s.
        let daemon = try DaemonProcess(
            arguments: ["--config", config, "--interval-ms", "500"], in: root,
            environment: ["WATCHDOG_USEC": "1000000"])
        #expect(eventually { FileManager.default.fileExists(atPath: started) }, "\(daemon.stderr)")
        var pings = 0
        var cycles = Set<Int>()
        let deadline = Date().addingTimeInterval(12)
        while !FileManager.default.fileExists(atPath: finished) && Date() < deadline {
            guard let message = daemon.notify.receive(timeout: 0.2) else { continue }
            if message.contains("WATCHDOG=1") { pings += 1 }
            if let cycle = DaemonProcess.cycleNumber(in: message) { cycles.insert(cycle) }
        }
        #expect(FileManager.default.fileExists(atPath: finished), "the hook ran to its end")
        // 10 s at one ping per 0.5 s is 20; allow for scheduling on a busy machine.
        #expect(pings >= 14, "\(pings) watchdog pings during the 10 s hook")
        #expect(cycles.count >= 10, "\(cycles.count) cycles during the 10 s hook")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: 15) == 0)
    }
}
