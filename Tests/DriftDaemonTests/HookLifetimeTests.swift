import Foundation
import TestSupport
import Testing

@testable import DriftDaemon

/// A hook's process group dies with it; a flooding hook's last line is what is kept; hooks run
/// ordered per hook and bounded in number, off the caller's thread.
@Suite("Hook lifetime, output and scheduling")
struct HookLifetimeTests {
    let runner = HookRunner(gracePeriod: .milliseconds(300))

    /// Processes whose command line is exactly `words`.
    static func processes(running words: [String]) -> [Int32] {
        let wanted = words.joined(separator: "\0") + "\0"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
                return false
            }
            return String(decoding: data, as: UTF8.self) == wanted
        }
    }

    @Test("a background child left by a hook that exits is killed with its process group")
    func backgroundChildKilled() throws {
        let marker = String(900_000 + Int(getpid() % 90_000))
        let result = try runner.run(
            command: ["/bin/sh", "-c", "( sleep \(marker) & ) ; echo started"], environment: [:], input: [],
            timeout: .seconds(10))
        #expect(result.termination == .exited(0))
        #expect(eventually(timeout: 5) { Self.processes(running: ["sleep", marker]).isEmpty })
    }

    @Test("a flooding hook: the last line of its output is kept, memory bounded by the limit")
    func floodingHookLastLine() throws {
        let result = try runner.run(
            command: [
                "/bin/sh", "-c", "yes 'noise line' | head -c 1000000; echo 'the real reason: 503'; exit 1",
            ],
            environment: [:], input: [], timeout: .seconds(10))
        #expect(result.termination == .exited(1))
        #expect(result.output.utf8.count <= runner.outputLimit)
        #expect(result.output.hasSuffix("the real reason: 503\n"), "\(result.output.suffix(80))")
    }

    @Test("the scheduler runs a hook's events in order, hooks side by side, at most N at once")
    func scheduling() {
        let scheduler = HookScheduler(maximumConcurrent: 2, maximumBacklog: 3)
        let log = LockedLog()
        for index in 0..<3 {
            #expect(
                scheduler.submit(hook: "a") {
                    log.append("a\(index) start")
                    usleep(100_000)
                    log.append("a\(index) end")
                })
        }
        #expect(!scheduler.submit(hook: "a") {}, "a fourth waiting event is refused: the backlog is full")
        for name in ["b", "c"] {
            scheduler.submit(hook: name) {
                log.append("\(name) start")
                log.append("running \(log.running())")
                usleep(100_000)
                log.append("\(name) end")
            }
        }
        #expect(scheduler.waitUntilIdle(timeout: .seconds(10)))
        let entries = log.entries
        let ordered = entries.filter { $0.hasPrefix("a") }
        #expect(ordered == ["a0 start", "a0 end", "a1 start", "a1 end", "a2 start", "a2 end"])
        #expect(log.maximumRunning <= 2, "\(entries)")
    }
}

/// A log the scheduler's threads append to; counts runs in progress.
final class LockedLog: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    private var current = 0
    private(set) var maximumRunning = 0

    func append(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        lines.append(line)
        if line.hasSuffix(" start") {
            current += 1
            maximumRunning = max(maximumRunning, current)
        } else if line.hasSuffix(" end") {
            current -= 1
        }
    }

    func running() -> Int {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    var entries: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }
}

/// Polls `condition` until it holds or `timeout` seconds pass.
