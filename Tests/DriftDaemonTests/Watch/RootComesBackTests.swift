import Dispatch
import DriftConfig
import Foundation
import Glibc
import InMemoryLogging
import Logging
import TestSupport
import Testing

@testable import DriftDaemon

/// The watch survives the root going away (issue 18): moved away and back, or deleted and
/// recreated, 20 times each with pauses shorter and longer than the debounce and than a cycle,
/// and each time a change made afterwards starts a cycle within a second. The database sits
/// beside the tree (the root's parent), as it did when the parent went unwatched.
@Suite("the watch survives the root going away", .temporaryDirectory)
struct RootComesBackTests {
    /// Cycles the fake daemon ran, with when each started.
    final class Cycles: @unchecked Sendable {
        private let lock = NSLock()
        private var starts: [ContinuousClock.Instant] = []

        func record() {
            lock.lock()
            starts.append(.now)
            lock.unlock()
        }

        /// Waits up to `timeout` for a cycle that started at or after `instant`.
        func wait(after instant: ContinuousClock.Instant, timeout: Duration) -> Duration? {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                lock.lock()
                let found = starts.first { $0 >= instant }
                lock.unlock()
                if let found { return found - instant }
                usleep(5_000)
            }
            return nil
        }
    }

    enum Going: String, CaseIterable {
        case movedAwayAndBack, deletedAndRecreated
    }

    /// Pauses around the debounce (50 ms) and the simulated cycle (30 ms): 0 to 150 ms.
    static let pauses: [Double] = [0, 0.005, 0.03, 0.06, 0.1, 0.15, 0.01, 0.045]

    @Test("20 times each: a change after the root is back is noticed within 1 s", arguments: Going.allCases)
    func rootComesBack(going: Going) throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/node.toml", "a = 0\n")
        var configuration = DriftConfiguration(
            watchedDirectory: temp.path("tree"), databasePath: temp.path("h.db"))
        configuration.debounce = .milliseconds(50)
        let queue = DispatchQueue(label: "test.daemon")
        let cycles = Cycles()
        final class Holder: @unchecked Sendable { var watch: ChangeWatch? }
        let holder = Holder()
        let settings = configuration
        // A cycle as the daemon runs one: on its queue, first absorbing what is queued, then ~30 ms of work.
        let watch = ChangeWatch(
            queue: queue, logger: Logger(label: "test") { _ in InMemoryLogHandler() },
            startCycle: { _ in
                holder.watch?.cycleStarting(settings)
                cycles.record()
                usleep(30_000)
            }, raise: { _ in })
        holder.watch = watch
        queue.sync { watch.start(configuration) }
        defer { queue.sync { watch.stop() } }

        var slowest: Duration = .zero
        for round in 0..<20 {
            let pause = Self.pauses[round % Self.pauses.count]
            let settle = Self.pauses[(round * 3 + 1) % Self.pauses.count]
            switch going {
            case .movedAwayAndBack:
                #expect(rename(temp.path("tree"), temp.path("tree.away")) == 0)
                usleep(UInt32(pause * 1_000_000))
                #expect(rename(temp.path("tree.away"), temp.path("tree")) == 0)
            case .deletedAndRecreated:
                try FileManager.default.removeItem(atPath: temp.path("tree"))
                usleep(UInt32(pause * 1_000_000))
                try temp.write("tree/node.toml", "a = \(round)\n")
            }
            usleep(UInt32(settle * 1_000_000))
            let changed = ContinuousClock.now
            try temp.write("tree/node.toml", "a = \(round + 100)\n")
            let noticed = cycles.wait(after: changed, timeout: .seconds(1))
            #expect(noticed != nil, "round \(round) (pauses \(pause) s, \(settle) s): no cycle within 1 s")
            slowest = max(slowest, noticed ?? .seconds(1))
            let armed = queue.sync {
                (watch.watcherForTesting?.isWatchingRoot, watch.watcherForTesting?.isWatchingParent)
            }
            #expect(armed.0 == true && armed.1 == true, "round \(round): watches not re-armed")
        }
        #expect(slowest < .seconds(1))
    }
}
