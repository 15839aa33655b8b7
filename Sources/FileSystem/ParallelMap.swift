import Dispatch

/// `transform` applied to each element on up to `threads` threads (Dispatch's pool, no wider
/// than the processors), the results in the elements' order: the one ordered parallel map, used
/// by the walker's `lstat`s and by the comparison's TOML parsing.
package enum ParallelMap {
    package static func map<Element: Sendable, Output: Sendable>(
        _ elements: [Element], threads: Int, _ transform: @Sendable (Element) -> Output
    ) -> [Output] {
        let threads = min(max(1, threads), elements.count)
        guard threads > 1 else { return elements.map(transform) }
        let results = UnsafeMutableBufferPointer<Output>.allocate(capacity: elements.count)
        defer { results.deallocate() }
        // Each thread initializes only the slots of its own indices; all are read after
        // `concurrentPerform` returns, which waits for every thread.
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in stride(from: thread, to: elements.count, by: threads) {
                (slots.baseAddress! + index).initialize(to: transform(elements[index]))
            }
        }
        let ordered = Array(results)
        _ = results.deinitialize()
        return ordered
    }
}
