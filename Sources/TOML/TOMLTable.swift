/// A TOML table: keys in document order, each with the place it was written.
///
/// A reference type so the parser can extend a table in place (`[a]` then `[a.b]`, dotted
/// keys, `[[x]]` appends) without copying large trees. The parser is the only writer; once
/// `TOMLParser.parse` returns, a table is never mutated again, which is what makes sharing
/// it across threads safe (hence `@unchecked Sendable`).
public final class TOMLTable: @unchecked Sendable {
    /// One key of a table with its value and where both were written.
    public struct Entry: Sendable {
        public let key: String
        public internal(set) var value: TOMLValue
        // The two locations packed into 14 bytes (a value starts on its key's line in TOML), so an
        // entry is 48 bytes: large documents hold millions of entries.
        private var valueLineOffset: UInt16
        private var line: Int32
        private var keyColumn: Int32
        private var valueColumn: Int32

        package init(key: String, value: TOMLValue, keyLocation: SourceLocation, valueLocation: SourceLocation) {
            self.key = key
            self.value = value
            self.line = Int32(clamping: keyLocation.line)
            self.keyColumn = Int32(clamping: keyLocation.column)
            self.valueColumn = Int32(clamping: valueLocation.column)
            self.valueLineOffset = UInt16(clamping: valueLocation.line - keyLocation.line)
        }

        /// Where the key was written; for a table defined by a header, the header's position.
        public var keyLocation: SourceLocation {
            SourceLocation(line: Int(line), column: Int(keyColumn))
        }

        /// Where the value starts; for a table defined by a header, the header's position.
        public internal(set) var valueLocation: SourceLocation {
            get { SourceLocation(line: Int(line) + Int(valueLineOffset), column: Int(valueColumn)) }
            set {
                valueColumn = Int32(clamping: newValue.column)
                valueLineOffset = UInt16(clamping: newValue.line - Int(line))
            }
        }
    }

    /// How a table came to exist; TOML's rules on redefinition depend on it.
    public enum Origin: UInt8, Sendable {
        case root
        /// `[a.b]`
        case header
        /// Created on the way to a deeper header (`a` in `[a.b]`) and not yet defined itself.
        case implicit
        /// Created by a dotted key (`a.b = 1` creates `a`).
        case dotted
        /// `{ … }`: closed as soon as it is written.
        case inline
        /// An item of an array of tables (`[[a]]`).
        case arrayItem
    }

    // Exclusivity is checked statically: only the parser writes, on one thread, before the table is shared.
    @exclusivity(unchecked) public internal(set) var entries: [Entry] = []
    /// Where the table is defined: its header, its opening brace, or 1:1 for the root.
    public internal(set) var location: SourceLocation {
        get { SourceLocation(line: Int(line), column: Int(columnAndOrigin >> 3)) }
        set {
            line = Int32(clamping: newValue.line)
            let column = UInt32(clamping: min(max(newValue.column, 0), Self.maximumColumn))
            columnAndOrigin = column << 3 | columnAndOrigin & 7
        }
    }

    public internal(set) var origin: Origin {
        get { Origin(rawValue: UInt8(columnAndOrigin & 7)) ?? .root }
        set { columnAndOrigin = columnAndOrigin & ~7 | UInt32(newValue.rawValue) }
    }

    // Location and origin share 8 bytes so a table object fits a 48-byte allocation; columns
    // beyond 2^29 are clamped (a line that long is not a configuration file).
    private var line: Int32
    private var columnAndOrigin: UInt32
    private static let maximumColumn = (1 << 29) - 1
    /// Positions of entries by key once the table is above ``indexThreshold``; the parser keeps
    /// it in step with `entries`.
    @exclusivity(unchecked) var index = KeyIndex()

    public init(location: SourceLocation = .start, origin: Origin = .root) {
        self.line = Int32(clamping: location.line)
        self.columnAndOrigin =
            UInt32(clamping: min(max(location.column, 0), Self.maximumColumn)) << 3 | UInt32(origin.rawValue)
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    /// The value stored under `key`, or `nil`.
    public subscript(key: String) -> TOMLValue? {
        entry(forKey: key)?.value
    }

    /// The entry stored under `key`, with its source locations, or `nil`.
    public func entry(forKey key: String) -> Entry? {
        guard let position = position(ofKey: key) else { return nil }
        return entries[position]
    }

    /// Tables up to this size are searched linearly; larger ones get the `index` (see ``KeyIndex``).
    /// Most configuration tables are small, and a dictionary per table would dominate memory.
    static let indexThreshold = 32

    /// The position of `key` in `entries`, or nil.
    func position(ofKey key: String) -> Int? {
        if entries.count <= Self.indexThreshold {
            // Comparing lengths first skips most of String's general (Unicode-aware) comparison.
            let length = key.utf8.count
            return entries.withUnsafeBufferPointer { buffer in
                for position in buffer.indices {
                    let candidate = buffer[position].key
                    if candidate.utf8.count == length && candidate == key { return position }
                }
                return nil
            }
        }
        return index.position(of: key, in: entries)
    }

    /// Follows a path of keys through nested tables, as in `table.value(at: ["threshold", "my_id"])`.
    public func value(at path: [String]) -> TOMLValue? {
        var current: TOMLTable = self
        for (offset, key) in path.enumerated() {
            guard let value = current[key] else { return nil }
            if offset == path.count - 1 { return value }
            guard case .table(let next) = value else { return nil }
            current = next
        }
        return .table(current)
    }

    /// Gives back unused capacity once the parser has finished adding to this table's section.
    func shrinkToFit() {
        let count = entries.count
        guard entries.capacity > count else { return }
        let placeholder = Entry(key: "", value: .boolean(false), keyLocation: .start, valueLocation: .start)
        entries = ExactArray.moving(&entries, leaving: placeholder)
    }

    /// Appends a new entry; the caller has checked that `key` is not defined yet.
    package func append(_ entry: __owned Entry) {
        // Most tables hold a few keys: one allocation for the first four instead of three.
        if entries.capacity == 0 { entries.reserveCapacity(4) }
        if entries.count >= Self.indexThreshold {
            index.insert(entry.key, at: entries.count, in: entries)
        }
        // Last use of `entry`, so it moves into the array without a copy.
        entries.append(entry)
    }
}
