import Dispatch
import DriftConfig
import FileSystem
import Foundation
import Glibc
import InMemoryLogging
import Logging
import TestSupport
import Testing

@testable import DriftDaemon

/// The watch set over a real directory with real inotify: the kernel queues an event before the
/// system call that caused it returns, so each test reads right after acting, without waiting.
@Suite("inotify watches over the watched tree", .temporaryDirectory)
struct TreeWatcherTests {
    let temp: TemporaryDirectory
    var tree: String { temp.path("tree") }

    init() throws {
        temp = try TemporaryDirectory.current()
        for directory in ["tree/a/b", "tree/skipped", "tree/state", "elsewhere/moved/inner"] {
            try FileManager.default.createDirectory(
                atPath: temp.path(directory), withIntermediateDirectories: true)
        }
        for file in [
            "tree/party1.toml", "tree/a/b/peer.toml", "tree/skipped/x.toml", "elsewhere/moved/inner/y.toml",
        ] {
            try Data("a = 1\n".utf8).write(to: URL(fileURLWithPath: temp.path(file)))
        }
    }

    func watcher(
        filter: PathFilter = .everything, neverWatched: [String] = [], ignoredFiles: [String] = [],
        addWatch: @escaping InotifyAddWatch = systemInotifyAddWatch
    ) throws -> TreeWatcher {
        TreeWatcher(
            root: tree, filter: filter, instance: try InotifyInstance(addWatch: addWatch),
            neverWatched: neverWatched,
            ignoredFiles: ignoredFiles)
    }

    @Test(
        "every admitted directory is watched, not an excluded one nor the database's; and the root's parent")
    func initialSet() throws {
        let filter = try PathFilter(include: [], exclude: ["skipped"])
        let watcher = try self.watcher(filter: filter, neverWatched: [temp.path("tree/state")])
        try watcher.watchTree()
        #expect(watcher.watchedDirectories == ["", "a", "a/b"])
        #expect(watcher.isWatchingParent)
    }

    @Test(
        "a write, a rename over, a chmod, a delete: each names the file; excluded files and ignored names are dropped"
    )
    func fileEvents() throws {
        let filter = try PathFilter(include: [], exclude: ["*.swp"])
        let watcher = try self.watcher(filter: filter, ignoredFiles: [temp.path("tree/events.jsonl")])
        try watcher.watchTree()
        try Data("a = 2\n".utf8).write(to: URL(fileURLWithPath: temp.path("tree/a/b/peer.toml")))
        #expect(watcher.readEvents().changedPaths == ["a/b/peer.toml"])
        try Data("a = 3\n".utf8).write(to: URL(fileURLWithPath: temp.path("tree/party1.toml.tmp")))
        #expect(rename(temp.path("tree/party1.toml.tmp"), temp.path("tree/party1.toml")) == 0)
        #expect(watcher.readEvents().changedPaths == ["party1.toml.tmp", "party1.toml"])
        #expect(chmod(temp.path("tree/party1.toml"), 0o600) == 0)
        #expect(watcher.readEvents().changedPaths == ["party1.toml"])
        #expect(unlink(temp.path("tree/party1.toml")) == 0)
        #expect(watcher.readEvents().changedPaths == ["party1.toml"])
        try Data("x".utf8).write(to: URL(fileURLWithPath: temp.path("tree/.party1.toml.swp")))
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: temp.path("tree/events.jsonl")))
        #expect(watcher.readEvents().isEmpty, "an excluded file and the event log start no cycle")
    }

    @Test("new directories get watches, with what was created in them meanwhile; removed ones lose theirs")
    func directoriesComeAndGo() throws {
        let watcher = try self.watcher()
        try watcher.watchTree()
        try FileManager.default.createDirectory(
            atPath: temp.path("tree/new/deeper"), withIntermediateDirectories: true)
        #expect(watcher.readEvents().changedPaths == ["new"])
        #expect(watcher.watchedDirectories.isSuperset(of: ["new", "new/deeper"]))
        try Data("b = 1\n".utf8).write(to: URL(fileURLWithPath: temp.path("tree/new/deeper/z.toml")))
        #expect(watcher.readEvents().changedPaths == ["new/deeper/z.toml"])

        // A whole subdirectory moved in: watched down to its last level.
        #expect(rename(temp.path("elsewhere/moved"), temp.path("tree/moved")) == 0)
        #expect(watcher.readEvents().changedPaths == ["moved"])
        #expect(watcher.watchedDirectories.isSuperset(of: ["moved", "moved/inner"]))

        // Moved out: its watches go, and what happens to it outside is not the tree's business.
        #expect(rename(temp.path("tree/moved"), temp.path("elsewhere/moved")) == 0)
        #expect(watcher.readEvents().changedPaths == ["moved"])
        #expect(!watcher.watchedDirectories.contains("moved/inner"))
        try Data("c = 1\n".utf8).write(to: URL(fileURLWithPath: temp.path("elsewhere/moved/inner/y.toml")))
        #expect(watcher.readEvents().isEmpty)

        try FileManager.default.removeItem(atPath: temp.path("tree/new"))
        #expect(watcher.readEvents().changedPaths.contains("new"))
        #expect(watcher.watchedDirectories == ["", "a", "a/b", "skipped", "state"])
    }

    @Test("the root's parent counts only for the root's name; a root replaced by rename is watched anew")
    func rootReplaced() throws {
        let watcher = try self.watcher()
        try watcher.watchTree()
        try Data("db".utf8).write(to: URL(fileURLWithPath: temp.path("history.db")))
        #expect(watcher.readEvents().isEmpty, "a file beside the root is not a change of the tree")

        try FileManager.default.createDirectory(
            atPath: temp.path("tree.new/sub"), withIntermediateDirectories: true)
        #expect(rename(temp.path("tree"), temp.path("tree.old")) == 0)
        #expect(rename(temp.path("tree.new"), temp.path("tree")) == 0)
        #expect(watcher.readEvents().changedPaths == [""])
        #expect(watcher.watchedDirectories == ["", "sub"])
        try Data("d = 1\n".utf8).write(to: URL(fileURLWithPath: temp.path("tree.old/party1.toml")))
        #expect(watcher.readEvents().isEmpty, "the old tree, moved away, is no longer watched")
        try Data("d = 1\n".utf8).write(to: URL(fileURLWithPath: temp.path("tree/sub/new.toml")))
        #expect(watcher.readEvents().changedPaths == ["sub/new.toml"])
    }

    @Test("the database's directory as the root's parent is watched for the root's name only")
    func databaseBesideTheTree() throws {
        let database = temp.path("history.db")
        let watcher = try self.watcher(
            neverWatched: [temp.path], ignoredFiles: [database, database + "-wal", database + "-shm"])
        try watcher.watchTree()
        #expect(watcher.isWatchingParent, "else a root deleted and recreated goes unseen until the interval")
        #expect(watcher.watchedDirectories.contains(""))
        for name in ["history.db", "history.db-wal", "history.db-shm"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: temp.path(name)))
            #expect(unlink(temp.path(name)) == 0)
        }
        #expect(watcher.readEvents().isEmpty, "the database's writes are no change of the tree")
    }

    @Test("the queue overflow event means a full scan")
    func overflow() throws {
        let watcher = try self.watcher()
        let interpretation = watcher.interpret([
            InotifyEvent(watch: -1, mask: UInt32(IN_Q_OVERFLOW), cookie: 0, name: "")
        ])
        #expect(interpretation.overflowed)
    }

    @Test("a full watch table (ENOSPC from inotify_add_watch) is a failure naming the directory")
    func watchLimit() throws {
        let watcher = try self.watcher(addWatch: Self.failing(after: 2))
        #expect {
            try watcher.watchTree()
        } throws: { error in
            guard let failure = error as? TreeWatcher.WatchFailure else { return false }
            return failure.code == ErrnoCode(ENOSPC) && failure.watchesHeld == 1
        }
    }

    /// An `inotify_add_watch` whose table holds `limit` watches (the parent's included).
    static func failing(after limit: Int) -> InotifyAddWatch {
        let added = Counter()
        return { instance, path, mask in
            guard added.next() <= limit else { return (-1, ENOSPC) }
            return systemInotifyAddWatch(instance, path, mask)
        }
    }
}

/// A thread-safe counter for the injected `inotify_add_watch`.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// Increments and returns the new value.
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

@Suite("Watching changes from the daemon's queue", .temporaryDirectory)
struct ChangeWatchTests {
    @Test("a watch limit is one error event naming the sysctl, then interval-only until a reload")
    func limitReached() throws {
        let temp = try TemporaryDirectory.current()
        for directory in ["tree/a", "tree/b", "tree/c"] {
            try FileManager.default.createDirectory(
                atPath: temp.path(directory), withIntermediateDirectories: true)
        }
        let queue = DispatchQueue(label: "test.daemon")
        let raised = EventLog()
        let triggers = EventLog()
        let watch = ChangeWatch(
            queue: queue, logger: Logger(label: "test") { _ in InMemoryLogHandler() },
            addWatch: TreeWatcherTests.failing(after: 2),
            startCycle: { triggers.append("\($0)") }, raise: { raised.append($0.message ?? "") })
        let configuration = DriftConfiguration(
            watchedDirectory: temp.path("tree"), databasePath: temp.path("h.db"))
        queue.sync { watch.start(configuration) }
        #expect(queue.sync { !watch.isWatching })
        let messages = raised.entries
        #expect(messages.count == 1)
        #expect(messages.first?.contains("fs.inotify.max_user_watches") == true, "\(messages)")
        #expect(messages.first?.contains("every 60 s") == true, "\(messages)")
        queue.sync { watch.cycleStarting(configuration) }
        #expect(raised.entries.count == 1, "said once, not every cycle")
        #expect(triggers.entries.isEmpty)
    }

    @Test("a change settles into one cycle naming it; a cycle that starts first absorbs it")
    func settles() throws {
        let temp = try TemporaryDirectory.current()
        try FileManager.default.createDirectory(atPath: temp.path("tree"), withIntermediateDirectories: true)
        let queue = DispatchQueue(label: "test.daemon")
        let triggers = EventLog()
        let settled = DispatchSemaphore(value: 0)
        let watch = ChangeWatch(
            queue: queue, logger: Logger(label: "test") { _ in InMemoryLogHandler() },
            startCycle: {
                triggers.append("\($0)")
                settled.signal()
            }, raise: { _ in })
        var configuration = DriftConfiguration(
            watchedDirectory: temp.path("tree"), databasePath: temp.path("h.db"))
        configuration.debounce = .milliseconds(20)
        queue.sync { watch.start(configuration) }
        try Data("a = 1\n".utf8).write(to: URL(fileURLWithPath: temp.path("tree/x.toml")))
        try Data("a = 2\n".utf8).write(to: URL(fileURLWithPath: temp.path("tree/x.toml")))
        #expect(settled.wait(timeout: .now() + 10) == .success)
        #expect(triggers.entries == ["\(ChangeWatch.Trigger.change(paths: ["x.toml"]))"])

        // Written, then a cycle starts before the quiet window ends: no second cycle for it.
        configuration.debounce = .milliseconds(300)
        queue.sync { watch.start(configuration) }
        try Data("a = 3\n".utf8).write(to: URL(fileURLWithPath: temp.path("tree/x.toml")))
        queue.sync { watch.cycleStarting(configuration) }
        #expect(settled.wait(timeout: .now() + 0.6) == .timedOut)
        #expect(triggers.entries.count == 1)
        queue.sync { watch.stop() }
    }
}

/// Collects strings from Dispatch handlers for a test to read.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []

    func append(_ value: String) {
        lock.lock()
        values.append(value)
        lock.unlock()
    }

    var entries: [String] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}
