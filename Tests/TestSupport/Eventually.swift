import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Checks `condition` every `interval` seconds until it holds or `timeout` seconds have passed,
/// and returns whether it held: for what another process or thread does in its own time (a
/// daemon's event, a killed child gone). A test asserts on the answer, never on the time taken.
public func eventually(timeout: Double = 15, every interval: Double = 0.02, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(UInt32(interval * 1_000_000))
    }
    return condition()
}
