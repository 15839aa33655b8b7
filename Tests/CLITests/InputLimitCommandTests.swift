import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What `check`, `validate`, `consistency` and `fingerprint` read: regular files only (a symlink
/// given as an argument is followed), at most `--max-size`; and a FIFO at the daemon's `--config`
/// never freezes it.
@Suite("Inputs: only regular files, only up to a limit", .temporaryDirectory)
struct InputLimitCommandTests {
    let root: URL
    var valid: String { root.appendingPathComponent("ok.toml").path }
    var fifo: String { root.appendingPathComponent("fifo.toml").path }

    init() throws {
        root = try TemporaryDirectory.current().url
        try writeFile("[threshold]\nmy_id = 1\n", to: root.appendingPathComponent("ok.toml"))
        #expect(mkfifo(root.appendingPathComponent("fifo.toml").path, 0o600) == 0)
    }

    static let commands: [[String]] = [["check", "<ok>"], ["validate"], ["consistency"], ["fingerprint"]]

    @Test(
        "a FIFO, a device and a never-ending /proc file are refused at once with the reason",
        arguments: commands)
    func nonRegular(command: [String]) throws {
        let prefix = command.map { $0 == "<ok>" ? valid : $0 }
        for (input, reason) in [
            (fifo, "it is a FIFO (named pipe), not a regular file"),
            ("/dev/zero", "it is a character device, not a regular file"),
            ("/proc/self/pagemap", "it is on procfs, a kernel pseudo file system"),
        ] {
            let run = try BoundedRun.run(prefix + [input])
            #expect(run.status == 2, "\(prefix) \(input): \(run.stderr)")
            #expect(run.stderr.contains(reason), "\(run.stderr)")
            #expect(
                run.seconds < 5 && run.peakKiB < 200_000, "\(input): \(run.seconds) s, \(run.peakKiB) KiB")
        }
    }

    @Test(
        "a file above --max-size is refused; a symlink given as an argument is followed", arguments: commands)
    func sizeLimit(command: [String]) throws {
        let prefix = command.map { $0 == "<ok>" ? valid : $0 }
        let big = try writeFile(
            "[threshold]\nmy_id = 1\n# " + String(repeating: "x", count: 5000) + "\n",
            to: root.appendingPathComponent("big.toml"))
        let refused = try CLI.run(prefix + ["--max-size", "4K", big])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("larger (4.9 KiB) than the limit of 4 KiB"), "\(refused.stderr)")
        let link = root.appendingPathComponent("link.toml").path
        #expect(symlink(big, link) == 0)
        let accepted = try CLI.run(prefix + ["--max-size", "1M", link])
        #expect(accepted.status != 2, "\(accepted.stderr)")
        #expect(try CLI.run(prefix + ["--max-size", "0", link]).status == 2)
    }

    @Test("check of two directories refuses a file inside above the limit")
    func directoryLimit() throws {
        for side in ["a", "b"] {
            try writeFile(
                String(repeating: "y", count: side == "a" ? 3000 : 3001),
                to: root.appendingPathComponent("\(side)/blob.bin"))
        }
        let result = try CLI.run([
            "check", "--max-size", "2K", root.appendingPathComponent("a").path,
            root.appendingPathComponent("b").path,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("blob.bin"))
    }

    @Test("SIGHUP with a FIFO at --config: logged, cycles go on, SIGTERM still exits 0")
    func fifoConfiguration() throws {
        let watched = root.appendingPathComponent("watched")
        try writeFile("a = 1\n", to: watched.appendingPathComponent("node.toml"))
        let config = root.appendingPathComponent("kms-drift.toml").path
        try writeFile(
            "[watch]\ndirectory = \"\(watched.path)\"\n[store]\ndatabase = \"\(root.appendingPathComponent("h.db").path)\"\n",
            to: URL(fileURLWithPath: config))
        let daemon = try DaemonProcess(arguments: ["--config", config, "--interval-ms", "200"], in: root)
        #expect(daemon.waitForCycle(atLeast: 1) != nil, "\(daemon.stderr)")
        try FileManager.default.removeItem(atPath: config)
        #expect(mkfifo(config, 0o600) == 0)
        daemon.signal(SIGHUP)
        #expect(eventually { daemon.stderr.contains("configuration not reloaded") }, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("FIFO"))
        let before = daemon.waitForCycle(atLeast: 1) ?? 0
        #expect(daemon.waitForCycle(atLeast: before + 2) != nil, "cycles go on after the refused reload")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: 10) == 0)
    }
}
