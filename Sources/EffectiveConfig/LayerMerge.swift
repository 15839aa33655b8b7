/// config-rs's merge (`path::Expression::set`), which kms-server's loader applies source by
/// source: an incoming table merges key by key into what is there (replacing a non-table),
/// anything else replaces what is there whole. So arrays are never merged: a later layer's
/// `[[threshold.peers]]` replaces every peer of the earlier ones.
extension LayeredTable {
    /// Lays `upper` over this table, later (upper) values winning.
    package mutating func merge(_ upper: LayeredTable) {
        if origin == nil { origin = upper.origin }
        for (key, incoming) in upper.entries {
            self[key] = Self.merged(self[key], incoming)
        }
    }

    static func merged(_ lower: LayeredValue?, _ upper: LayeredValue) -> LayeredValue {
        guard case .table(let upperTable) = upper else { return upper }
        var base: LayeredTable
        if case .table(let lowerTable)? = lower {
            base = lowerTable
        } else {
            base = LayeredTable(origin: upperTable.origin)
        }
        base.merge(upperTable)
        return .table(base)
    }

    /// Sets the value at a dotted path, creating tables on the way and replacing any
    /// non-table found there, as config-rs does for an environment variable's key.
    package mutating func set(_ value: LayeredValue, at path: ArraySlice<String>) {
        guard let first = path.first else { return }
        if path.count == 1 {
            self[first] = Self.merged(self[first], value)
            return
        }
        var child: LayeredTable
        if case .table(let existing)? = self[first] {
            child = existing
        } else {
            child = LayeredTable(origin: value.origin)
        }
        child.set(value, at: path.dropFirst())
        self[first] = .table(child)
    }
}
