import TOML

/// Compares two parsed configurations by meaning and lists every difference with its key
/// path, the line on each side, and its severity.
///
/// Spelling never counts (comments, order, quoting, number bases, dotted keys vs tables,
/// inline vs standard tables); types always do.
public struct ConfigDiff: Sendable {
    public let severityRules: SeverityRules
    public let identityRules: ArrayIdentityRules
    /// Differences under these patterns are dropped before they are counted.
    public let ignored: [KeyPathPattern]

    public init(
        severityRules: SeverityRules = .kms,
        identityRules: ArrayIdentityRules = .kms,
        ignoring ignored: [KeyPathPattern] = []
    ) {
        self.severityRules = severityRules
        self.identityRules = identityRules
        self.ignored = ignored
    }

    /// The differences from `reference` to `current`, in the order they appear in the files.
    public func differences(from reference: TOMLTable, to current: TOMLTable) -> [Difference] {
        var collector = Collector(diff: self)
        collector.compareTables(reference, current, at: .root)
        return collector.differences
    }

    private struct Side {
        let value: TOMLValue
        let location: SourceLocation
    }

    private struct Collector {
        let diff: ConfigDiff
        var differences: [Difference] = []

        mutating func record(_ kind: Difference.Kind, _ path: KeyPath, _ old: Side?, _ new: Side?) {
            guard !diff.ignored.contains(where: { $0.matches(path) }) else { return }
            differences.append(
                Difference(
                    kind: kind, path: path, oldValue: old?.value, newValue: new?.value,
                    oldLocation: old?.location, newLocation: new?.location,
                    severity: diff.severityRules.severity(of: path)))
        }

        mutating func compareTables(_ reference: TOMLTable, _ current: TOMLTable, at path: KeyPath) {
            for entry in reference.entries {
                let childPath = path.appending(key: entry.key)
                let old = Side(value: entry.value, location: entry.valueLocation)
                if let other = current.entry(forKey: entry.key) {
                    compare(old, Side(value: other.value, location: other.valueLocation), at: childPath)
                } else {
                    record(.removed, childPath, old, nil)
                }
            }
            for entry in current.entries where reference.entry(forKey: entry.key) == nil {
                record(.added, path.appending(key: entry.key), nil, Side(value: entry.value, location: entry.valueLocation))
            }
        }

        mutating func compare(_ old: Side, _ new: Side, at path: KeyPath) {
            switch (old.value, new.value) {
            case (.table(let a), .table(let b)):
                compareTables(a, b, at: path)
            case (.array(let a), .array(let b)):
                compareArrays(a, b, old: old, new: new, at: path)
            default:
                if old.value.typeName != new.value.typeName {
                    record(.typeChanged, path, old, new)
                } else if !ValueEquality.equal(old.value, new.value) {
                    record(.changed, path, old, new)
                }
            }
        }

        mutating func compareArrays(_ a: TOMLArray, _ b: TOMLArray, old: Side, new: Side, at path: KeyPath) {
            let tablesA = Self.tables(of: a)
            let tablesB = Self.tables(of: b)
            if let tablesA, let tablesB, !tablesA.isEmpty || !tablesB.isEmpty,
                let key = diff.identityRules.identityKey(for: path, reference: tablesA, current: tablesB)
            {
                compareByIdentity(a, b, key: key, at: path)
            } else if tablesA != nil && tablesB != nil && a.count == b.count {
                // Arrays of tables without an identity: item by item, so the path names the field.
                for position in 0..<a.count {
                    compare(
                        Side(value: a[position], location: a.locations[position]),
                        Side(value: b[position], location: b.locations[position]),
                        at: path.appending(.position(position)))
                }
            } else if !ValueEquality.equal(old.value, new.value) {
                // Plain arrays compare by position, as one value: `[1, 2]` → `[1, 3]` is one change.
                record(.changed, path, old, new)
            }
        }

        mutating func compareByIdentity(_ a: TOMLArray, _ b: TOMLArray, key: String, at path: KeyPath) {
            func identity(_ value: TOMLValue) -> String {
                guard case .table(let table) = value, let id = table[key] else { return "" }
                return ArrayIdentityRules.identityText(of: id) ?? ""
            }
            var positionsInCurrent: [String: Int] = [:]
            for position in 0..<b.count { positionsInCurrent[identity(b[position])] = position }
            var matched = Set<String>()
            for position in 0..<a.count {
                let id = identity(a[position])
                let itemPath = path.appending(.identity(key: key, value: id))
                let old = Side(value: a[position], location: a.locations[position])
                if let other = positionsInCurrent[id] {
                    matched.insert(id)
                    compare(old, Side(value: b[other], location: b.locations[other]), at: itemPath)
                } else {
                    record(.removed, itemPath, old, nil)
                }
            }
            for position in 0..<b.count where !matched.contains(identity(b[position])) {
                let id = identity(b[position])
                record(
                    .added, path.appending(.identity(key: key, value: id)), nil,
                    Side(value: b[position], location: b.locations[position]))
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
