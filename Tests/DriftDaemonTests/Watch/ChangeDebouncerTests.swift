import Testing

@testable import DriftDaemon

@Suite("Coalescing watched changes")
struct ChangeDebouncerTests {
    let start = ContinuousClock.now

    @Test("a lone change is scanned after the quiet window")
    func quietWindow() {
        var debouncer = ChangeDebouncer(quiet: .milliseconds(200), maximumDelay: .seconds(2))
        #expect(debouncer.noteChange(at: start) == start + .milliseconds(200))
    }

    @Test("each change in a burst pushes the scan back, but never past 2 s after the first")
    func burst() {
        var debouncer = ChangeDebouncer(quiet: .milliseconds(200), maximumDelay: .seconds(2))
        _ = debouncer.noteChange(at: start)
        #expect(debouncer.noteChange(at: start + .milliseconds(150)) == start + .milliseconds(350))
        #expect(debouncer.noteChange(at: start + .milliseconds(1900)) == start + .seconds(2))
        #expect(
            debouncer.noteChange(at: start + .seconds(5)) == start + .seconds(2), "a writer that never stops")
        debouncer.reset()
        let later = start + .seconds(6)
        #expect(debouncer.noteChange(at: later) == later + .milliseconds(200), "a new burst after the scan")
    }

    @Test("a quiet window of 0 scans at once")
    func zero() {
        var debouncer = ChangeDebouncer(quiet: .zero, maximumDelay: .seconds(2))
        #expect(debouncer.noteChange(at: start) == start)
    }
}
