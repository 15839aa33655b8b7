import TOML

/// Compares two parsed configurations by meaning and lists every difference with its key
/// path, the line on each side, and its severity.
///
/// Spelling never counts (comments, order, quoting, number bases, dotted keys vs tables,
/// inline vs standard tables); types always do.
package struct ConfigDiff: Sendable {
    package let severityRules: SeverityRules
    package let identityRules: ArrayIdentityRules
    /// Differences under these patterns are dropped before they are counted.
    package let ignored: [KeyPathPattern]

    package init(
        severityRules: SeverityRules = .kms,
        identityRules: ArrayIdentityRules = .kms,
        ignoring ignored: [KeyPathPattern] = []
    ) {
        self.severityRules = severityRules
        self.identityRules = identityRules
        self.ignored = ignored
    }

    /// The differences from `reference` to `current`, in the order they appear in the files.
    package func differences(from reference: TOMLTable, to current: TOMLTable) -> [Difference] {
        var collector = Collector(diff: self)
        collector.compareTables(reference, current)
        return collector.differences
    }

    private struct Side {
        let value: TOMLValue
        let location: SourceLocation
    }

    /// Walks both trees together. The current key path is a stack of segments that grows and
    /// shrinks with the walk; a `KeyPath` value is only made when a difference is recorded, so
    /// equal subtrees (nearly all of a config) cost no allocation.
    private struct Collector {
        let diff: ConfigDiff
        var differences: [Difference] = []
        var stack: [KeyPath.Segment] = []

        init(diff: ConfigDiff) {
            self.diff = diff
            stack.reserveCapacity(16)
        }

        mutating func record(_ kind: Difference.Kind, _ old: Side?, _ new: Side?) {
            let path = KeyPath(stack)
            guard !diff.ignored.contains(where: { $0.matches(path) }) else { return }
            differences.append(
                Difference(
                    kind: kind, path: path, oldValue: old?.value, newValue: new?.value,
                    oldLocation: old?.location, newLocation: new?.location,
                    severity: diff.severityRules.severity(of: path)))
        }

        mutating func compareTables(_ reference: TOMLTable, _ current: TOMLTable) {
            let currentEntries = current.entries
            var found = 0
            for (position, entry) in reference.entries.enumerated() {
                stack.append(.key(entry.key))
                let old = Side(value: entry.value, location: entry.valueLocation)
                // Both files usually list keys in the same order: try the same position before a lookup.
                let other: TOMLTable.Entry? =
                    position < currentEntries.count && currentEntries[position].key == entry.key
                    ? currentEntries[position] : current.entry(forKey: entry.key)
                if let other {
                    found += 1
                    compare(old, Side(value: other.value, location: other.valueLocation))
                } else {
                    record(.removed, old, nil)
                }
                stack.removeLast()
            }
            // Keys are unique, so if every current key was found there is nothing added.
            guard found < currentEntries.count else { return }
            for entry in currentEntries where reference.entry(forKey: entry.key) == nil {
                stack.append(.key(entry.key))
                record(.added, nil, Side(value: entry.value, location: entry.valueLocation))
                stack.removeLast()
            }
        }

        mutating func compare(_ old: Side, _ new: Side) {
            switch (old.value, new.value) {
            case (.table(let a), .table(let b)):
                compareTables(a, b)
            case (.array(let a), .array(let b)):
                compareArrays(a, b, old: old, new: new)
            default:
                if old.value.typeName != new.value.typeName {
                    record(.typeChanged, old, new)
                } else if !ValueEquality.equal(old.value, new.value) {
                    record(.changed, old, new)
                }
            }
        }

        mutating func compareArrays(_ a: TOMLArray, _ b: TOMLArray, old: Side, new: Side) {
            let tablesA = Self.tables(of: a)
            let tablesB = Self.tables(of: b)
            if let tablesA, let tablesB, !tablesA.isEmpty || !tablesB.isEmpty,
                let key = diff.identityRules.identityKey(
                    for: KeyPath(stack), reference: tablesA, current: tablesB)
            {
                compareByIdentity(a, b, key: key)
            } else if tablesA != nil && tablesB != nil && a.count == b.count {
                // Arrays of tables without an identity: item by item, so the path names the field.
                for position in 0..<a.count {
                    stack.append(.position(position))
                    compare(
                        Side(value: a[position], location: a.locations[position]),
                        Side(value: b[position], location: b.locations[position]))
                    stack.removeLast()
                }
            } else if !ValueEquality.equal(old.value, new.value) {
                // Plain arrays compare by position, as one value: `[1, 2]` → `[1, 3]` is one change.
                record(.changed, old, new)
            }
        }

        mutating func compareByIdentity(_ a: TOMLArray, _ b: TOMLArray, key: String) {
            func identity(_ value: TOMLValue) -> String {
                guard case .table(let table) = value, let id = table[key] else { return "" }
                return ArrayIdentityRules.identityText(of: id) ?? ""
            }
            let idsA = a.elements.map(identity)
            let idsB = b.elements.map(identity)
            var matched = [Bool](repeating: false, count: b.count)
            // Items are usually in the same order on both sides: try the same position first.
            func position(of id: String, near hint: Int) -> Int? {
                if hint < idsB.count, idsB[hint] == id { return hint }
                return idsB.firstIndex(of: id)
            }
            for index in 0..<a.count {
                stack.append(.identity(key: key, value: idsA[index]))
                let old = Side(value: a[index], location: a.locations[index])
                if let other = position(of: idsA[index], near: index) {
                    matched[other] = true
                    compare(old, Side(value: b[other], location: b.locations[other]))
                } else {
                    record(.removed, old, nil)
                }
                stack.removeLast()
            }
            for index in 0..<b.count where !matched[index] {
                stack.append(.identity(key: key, value: idsB[index]))
                record(.added, nil, Side(value: b[index], location: b.locations[index]))
                stack.removeLast()
            }
        }

        /// The items of `array` when every item is a table (`[[x]]` or `[{…}, {…}]`), else `nil`.
        static func tables(of array: TOMLArray) -> [TOMLTable]? {
            var tables: [TOMLTable] = []
            tables.reserveCapacity(array.count)
            for element in array.elements {
                guard case .table(let table) = element else { return nil }
                tables.append(table)
            }
            return tables
        }
    }
}
