/// A TOML array (`[1, 2]`) or array of tables (`[[peers]]`), with the place of each element.
///
/// A reference type for the same reason as `TOMLTable`: `[[x]]` headers append to an array
/// defined earlier. Frozen once parsing returns.
public final class TOMLArray: @unchecked Sendable {
    // Exclusivity checks are switched off: they cost a runtime check on every append, and only the
    // parser writes, on one thread, before the array is shared (frozen once parsing returns).
    @exclusivity(unchecked) public internal(set) var elements: [TOMLValue] = []
    /// Where each element starts (for an array of tables, each `[[…]]` header).
    @exclusivity(unchecked) public internal(set) var locations: [SourceLocation] = []
    /// Where the array starts: its `[` or its first `[[…]]` header.
    public internal(set) var location: SourceLocation
    /// True for an array built by `[[…]]` headers, which later headers may extend;
    /// false for a static array written with `[…]`, which is closed.
    public let isArrayOfTables: Bool

    public init(location: SourceLocation, isArrayOfTables: Bool) {
        self.location = location
        self.isArrayOfTables = isArrayOfTables
    }

    public var count: Int { elements.count }
    public var isEmpty: Bool { elements.isEmpty }

    public subscript(position: Int) -> TOMLValue { elements[position] }

    /// Gives back unused capacity once the array is complete.
    func shrinkToFit() {
        let count = elements.count
        if elements.capacity > count { elements = ExactArray.moving(&elements, leaving: .boolean(false)) }
        if locations.capacity > count { locations = ExactArray.moving(&locations, leaving: .start) }
    }

    package func append(_ value: TOMLValue, at location: SourceLocation) {
        elements.append(value)
        locations.append(location)
    }
}
