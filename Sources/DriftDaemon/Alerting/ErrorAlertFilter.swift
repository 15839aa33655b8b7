import DriftOperations

/// De-duplicates `error` events across cycles: an error is raised when its problem's identity
/// (kind of error, path, position, errno; never its wording) differs from the last one raised, and forgotten after a successful cycle, so a directory that stays
/// unreadable for a day raises one alert, not 1,440. Drift de-duplication lives in `DriftCycle`
/// (in the store, shared with the one-shot mode); this one lives in the daemon's memory.
package struct ErrorAlertFilter: Sendable {
    private var lastRaised: String?

    package init() {}

    /// The events to raise out of `events`, remembering the error raised.
    package mutating func filter(_ events: [DriftEvent]) -> [DriftEvent] {
        events.filter { event in
            guard event.kind == .error else { return true }
            let identity = event.problem?.identity ?? event.message ?? ""
            guard identity != lastRaised else { return false }
            lastRaised = identity
            return true
        }
    }

    /// A cycle succeeded: the next error is new, whatever its message.
    package mutating func reset() { lastRaised = nil }
}
