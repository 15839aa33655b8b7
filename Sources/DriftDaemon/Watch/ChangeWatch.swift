import Dispatch
import DriftConfig
import DriftOperations
import FileSystem
import Logging

/// Starts a daemon cycle soon after something changes in the watched tree, instead of at the next
/// interval: inotify on every directory (``TreeWatcher``), read by a `DispatchSourceRead` on the
/// daemon's serial queue, bursts coalesced by ``ChangeDebouncer``. The interval timer stays the
/// safety net; when inotify cannot be used (its limits reached) this says so once and the daemon
/// goes on interval-only.
///
/// Not thread-safe: every method runs on `queue`, the queue that owns the daemon's state (Dispatch
/// handlers are installed there too). `@unchecked Sendable` for the same reason as `DaemonLoop`.
final class ChangeWatch: @unchecked Sendable {
    /// Why a cycle is asked for.
    enum Trigger: Equatable {
        /// Changes settled (or the burst reached the maximum delay); the first few paths.
        case change(paths: [String])
        /// The kernel dropped events: a full scan now.
        case overflow
    }

    private let queue: DispatchQueue
    private let logger: Logger
    private let addWatch: InotifyAddWatch
    private let startCycle: (Trigger) -> Void
    private let raise: (DriftEvent) -> Void

    private var watcher: TreeWatcher?
    private var readSource: DispatchSourceRead?
    private var debounceTimer: DispatchSourceTimer?
    private var debouncer = ChangeDebouncer(quiet: .milliseconds(200), maximumDelay: .seconds(2))
    private var pendingPaths: [String] = []
    /// Set once watching was given up (a limit reached): interval-only until a reload.
    private var givenUp = false

    /// - Parameters:
    ///   - startCycle: asks the daemon for a cycle now (called on `queue`).
    ///   - raise: raises an event outside a cycle (the one `error` saying watching stopped).
    init(
        queue: DispatchQueue, logger: Logger, addWatch: @escaping InotifyAddWatch = systemInotifyAddWatch,
        startCycle: @escaping (Trigger) -> Void, raise: @escaping (DriftEvent) -> Void
    ) {
        self.queue = queue
        self.logger = logger
        self.addWatch = addWatch
        self.startCycle = startCycle
        self.raise = raise
    }

    /// True while changes are watched (not off, not given up).
    var isWatching: Bool { watcher != nil }
    /// Directories watched now, for tests.
    var watcherForTesting: TreeWatcher? { watcher }

    /// Starts watching as `configuration` says (nothing when `[schedule] watch = false`), replacing
    /// any earlier watch: called at start and after every reload, which also retries after a limit
    /// was reached and then raised by the operator.
    func start(_ configuration: DriftConfiguration) {
        dispatchPrecondition(condition: .onQueue(queue))
        stop()
        givenUp = false
        guard configuration.watch else { return }
        debouncer = ChangeDebouncer(
            quiet: configuration.debounce, maximumDelay: DriftConfiguration.maximumChangeDelay)
        let instance: InotifyInstance
        do {
            instance = try InotifyInstance(addWatch: addWatch)
        } catch {
            giveUp(configuration, reason: Self.instanceFailure(error))
            return
        }
        let database = configuration.databasePath
        let watcher = TreeWatcher(
            root: configuration.watchedDirectory, filter: configuration.watchFilter, instance: instance,
            neverWatched: [PathText.directory(of: database)],
            ignoredFiles: [database, database + "-wal", database + "-shm", database + "-journal"]
                + [configuration.eventLogPath, configuration.metricsPath].compactMap { $0 })
        do {
            try watcher.watchTree()
        } catch {
            giveUp(configuration, reason: Self.limitFailure(error))
            return
        }
        self.watcher = watcher
        let source = DispatchSource.makeReadSource(fileDescriptor: instance.descriptor, queue: queue)
        source.setEventHandler { [self] in handleEvents(configuration) }
        // The descriptor is closed only once Dispatch has let go of it.
        source.setCancelHandler { withExtendedLifetime(watcher) {} }
        source.resume()
        readSource = source
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [self] in changesSettled() }
        timer.schedule(deadline: .distantFuture)
        timer.resume()
        debounceTimer = timer
        logger.debug(
            "watching for changes",
            metadata: [
                "dir": .string(configuration.watchedDirectory),
                "directories": .string(String(watcher.watchCount)),
            ])
    }

    /// A cycle is about to scan the whole tree: what is queued now is part of that scan, so it
    /// is read (new directories get their watches) and forgotten instead of starting another cycle.
    func cycleStarting(_ configuration: DriftConfiguration) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let watcher else { return }
        let interpretation = watcher.readEvents()
        if let failure = interpretation.watchFailure {
            giveUp(configuration, reason: Self.limitFailure(failure))
            return
        }
        do {
            if interpretation.overflowed {
                // Events were lost, so may be new directories' creation: watch the tree again.
                // The cycle about to run is the full scan the overflow calls for.
                logger.notice(
                    "inotify queue overflowed: changes were lost; scanning the whole tree now",
                    metadata: ["dir": .string(configuration.watchedDirectory)])
                try watcher.rewatchTree()
            } else if !watcher.isWatchingRoot || !watcher.isWatchingParent {
                // The root vanished earlier, or its parent's watch was lost (the parent itself
                // removed): try again each cycle.
                try watcher.watchTree()
            }
        } catch {
            giveUp(configuration, reason: Self.limitFailure(error))
            return
        }
        debouncer.reset()
        pendingPaths.removeAll()
        debounceTimer?.schedule(deadline: .distantFuture)
    }

    /// Stops watching (SIGTERM, or before a reload starts again).
    func stop() {
        readSource?.cancel()
        readSource = nil
        debounceTimer?.cancel()
        debounceTimer = nil
        watcher = nil
        debouncer.reset()
        pendingPaths.removeAll()
    }

    private func handleEvents(_ configuration: DriftConfiguration) {
        guard let watcher else { return }
        let interpretation = watcher.readEvents()
        if let failure = interpretation.watchFailure {
            giveUp(configuration, reason: Self.limitFailure(failure))
            // What was seen before the limit was hit still deserves its scan.
            startCycle(.change(paths: interpretation.changedPaths))
            return
        }
        if interpretation.overflowed {
            logger.notice(
                "inotify queue overflowed: changes were lost; scanning the whole tree now",
                metadata: ["dir": .string(configuration.watchedDirectory)])
            // The watches may have missed directories created meanwhile: watch them all again.
            do { try watcher.rewatchTree() } catch {
                giveUp(configuration, reason: Self.limitFailure(error))
            }
            debouncer.reset()
            pendingPaths.removeAll()
            debounceTimer?.schedule(deadline: .distantFuture)
            startCycle(.overflow)
            return
        }
        guard !interpretation.changedPaths.isEmpty else { return }
        for path in interpretation.changedPaths where pendingPaths.count < 5 && !pendingPaths.contains(path) {
            pendingPaths.append(path)
        }
        let deadline = debouncer.noteChange(at: .now)
        let wait = max(.zero, deadline - .now)
        debounceTimer?.schedule(deadline: .now() + DaemonLoop.dispatchInterval(wait))
    }

    private func changesSettled() {
        guard debouncer.burstStarted != nil else { return }
        let paths = pendingPaths
        debouncer.reset()
        pendingPaths.removeAll()
        debounceTimer?.schedule(deadline: .distantFuture)
        startCycle(.change(paths: paths))
    }

    /// Watching cannot go on: one `error` event says why and what to do; the interval goes on.
    private func giveUp(_ configuration: DriftConfiguration, reason: String) {
        stop()
        guard !givenUp else { return }
        givenUp = true
        let message =
            "cannot watch \(configuration.watchedDirectory) for changes: \(reason); kms-drift goes on with a "
            + "full scan every \(configuration.interval.components.seconds) s only (send SIGHUP to try watching again)"
        raise(DriftEvent(kind: .error, snapshot: nil, report: nil, message: message))
    }

    static func limitFailure(_ failure: TreeWatcher.WatchFailure) -> String {
        guard failure.code == .noSpace else {
            return "inotify_add_watch failed on \(failure.path): \(failure.code)"
        }
        return
            "the inotify watch limit was reached at \(failure.path) after \(failure.watchesHeld) directories "
            + "(sysctl fs.inotify.max_user_watches\(currentValue(of: "fs/inotify/max_user_watches"))); "
            + "raise it, e.g. `sysctl -w fs.inotify.max_user_watches=524288` and the same line in /etc/sysctl.d/"
    }

    static func instanceFailure(_ code: ErrnoCode) -> String {
        guard code == .tooManyOpenFiles else { return "inotify_init1 failed: \(code)" }
        return "this user has too many inotify instances (sysctl fs.inotify.max_user_instances"
            + "\(currentValue(of: "fs/inotify/max_user_instances"))); raise it with sysctl"
    }

    /// ` = 8192`, read from /proc/sys, or nothing when it cannot be read.
    private static func currentValue(of name: String) -> String {
        guard let bytes = try? FileContents.readKernelFile("/proc/sys/" + name) else { return "" }
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        return text.isEmpty ? "" : " = " + text
    }
}
