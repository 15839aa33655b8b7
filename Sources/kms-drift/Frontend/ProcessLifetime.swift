import FileSystem

/// Memory choices that only make sense in a short-lived command, never in the daemon.
enum ProcessLifetime {
    /// Keeps `object` alive until the process exits, on purpose. Freeing the tree of a 20 MB
    /// TOML file costs about as much as comparing it (measured: 0.14 s for two such trees), and
    /// the command is about to exit, which returns the memory at once.
    static func keepUntilExit(_ object: AnyObject) {
        _ = Unmanaged.passRetained(object)
    }

    /// See ``HeapTuning/growHeapInLargeSteps()``.
    static func growHeapInLargeSteps() {
        HeapTuning.growHeapInLargeSteps()
    }
}
