/// When a burst of file-system changes has settled enough to scan: after `quiet` without a new
/// change, and never later than `maximumDelay` after the burst's first change, so that a writer
/// that never stops cannot postpone the scan forever.
///
/// A value type with the clock passed in, so the rule is tested without waiting.
struct ChangeDebouncer: Sendable {
    let quiet: Duration
    let maximumDelay: Duration
    /// When the current burst's first change was seen; `nil` when no change is waiting.
    private(set) var burstStarted: ContinuousClock.Instant?

    init(quiet: Duration, maximumDelay: Duration) {
        self.quiet = quiet
        self.maximumDelay = max(quiet, maximumDelay)
    }

    /// Notes a change seen at `now`; returns when the scan should start.
    mutating func noteChange(at now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        let started = burstStarted ?? now
        burstStarted = started
        return min(now + quiet, started + maximumDelay)
    }

    /// The scan started (or a full scan made the waiting changes moot): a new burst begins with
    /// the next change.
    mutating func reset() {
        burstStarted = nil
    }
}
