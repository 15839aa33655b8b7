/// Moves finished arrays into buffers of exactly their size.
///
/// Large documents hold hundreds of thousands of small arrays; growth by doubling leaves up to
/// half of each unused. Moving (rather than copying) the elements avoids a retain and a
/// release per element.
enum ExactArray {
    /// Returns the elements of `source` in an exactly sized array, leaving `placeholder`
    /// (a value that owns no memory) in each of `source`'s slots.
    static func moving<Element>(_ source: inout [Element], leaving placeholder: Element) -> [Element] {
        let count = source.count
        guard count > 0 else { return [] }
        return source.withUnsafeMutableBufferPointer { old in
            Array(unsafeUninitializedCapacity: count) { buffer, initialized in
                guard let target = buffer.baseAddress, let origin = old.baseAddress else { return }
                target.moveInitialize(from: origin, count: count)
                origin.initialize(repeating: placeholder, count: count)
                initialized = count
            }
        }
    }
}
