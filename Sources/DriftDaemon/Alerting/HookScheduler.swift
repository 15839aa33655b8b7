import Dispatch
import Synchronization

/// Runs hooks off the daemon's queue, so that a slow hook (up to its timeout, an hour at most)
/// never stops cycles, signals or the systemd watchdog pings that the queue sends.
///
/// - Ordered per hook: one serial queue per hook name, so a hook sees its events in the order
///   they were raised, one at a time.
/// - Bounded: at most ``maximumConcurrent`` hooks run at once across all names, and each hook has
///   at most ``maximumBacklog`` events waiting; beyond that an event is dropped for that hook and
///   the drop is reported (a hook that cannot keep up must not grow the daemon's memory forever).
package final class HookScheduler: Sendable {
    package let maximumConcurrent: Int
    package let maximumBacklog: Int

    private let slots: DispatchSemaphore
    private let group = DispatchGroup()
    /// Per hook name: its queue and how many of its runs are waiting or running.
    private let lanes = Mutex<[String: (queue: DispatchQueue, pending: Int)]>([:])

    package init(maximumConcurrent: Int = 4, maximumBacklog: Int = 100) {
        self.maximumConcurrent = maximumConcurrent
        self.maximumBacklog = maximumBacklog
        slots = DispatchSemaphore(value: maximumConcurrent)
    }

    /// Queues `work` behind the earlier runs of the hook `name`. Returns false (and runs nothing)
    /// when that hook already has ``maximumBacklog`` runs waiting.
    @discardableResult
    package func submit(hook name: String, _ work: @escaping @Sendable () -> Void) -> Bool {
        let queue: DispatchQueue? = lanes.withLock { lanes in
            var lane = lanes[name] ?? (DispatchQueue(label: "kms-drift.hook.\(name)"), 0)
            guard lane.pending < maximumBacklog else { return nil }
            lane.pending += 1
            lanes[name] = lane
            return lane.queue
        }
        guard let queue else { return false }
        group.enter()
        queue.async { [self] in
            slots.wait()
            work()
            slots.signal()
            lanes.withLock { $0[name]?.pending -= 1 }
            group.leave()
        }
        return true
    }

    /// Waits until every submitted run has finished, or `timeout` has passed; true when idle.
    @discardableResult
    package func waitUntilIdle(timeout: Duration? = nil) -> Bool {
        guard let timeout else {
            group.wait()
            return true
        }
        let nanoseconds =
            timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        return group.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success
    }
}
