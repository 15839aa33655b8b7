/// Compares statements component by component with a reference: a party's own statement, or
/// per component the digest most parties state. Reports the most precise component that differs:
/// `threshold.peers[party_id=7].address`, not also the peer entry and the peer list above it; a
/// peer entry that one side has and the other lacks is named once, not each of its keys.
struct ComponentComparison {
    /// Component → the reference digest (nil: the reference does not state it).
    let referenceDigests: [String: String?]
    /// Component → a canonical value for each digest, from any statement that carries values.
    let knownValues: [String: [String: String]]

    init(statements: [Int64: Statement], reference: Statement?) {
        var values: [String: [String: String]] = [:]
        for statement in statements.values + (reference.map { [$0] } ?? []) {
            for (path, value) in statement.values {
                if let digest = statement.components[path] { values[path, default: [:]][digest] = value }
            }
        }
        knownValues = values
        var paths = Set<String>()
        for statement in statements.values { paths.formUnion(statement.components.keys) }
        if let reference { paths.formUnion(reference.components.keys) }
        var digests: [String: String?] = [:]
        for path in paths {
            if let reference {
                digests[path] = .some(reference.components[path])
                continue
            }
            // The most common digest (absence counts as a value); a tie goes to the lowest party's.
            var tally: [String?: (count: Int, lowestParty: Int64)] = [:]
            for (party, statement) in statements {
                let digest = statement.components[path]
                let current = tally[digest] ?? (0, party)
                tally[digest] = (current.count + 1, min(current.lowestParty, party))
            }
            let winner = tally.max { lhs, rhs in
                lhs.value.count != rhs.value.count
                    ? lhs.value.count < rhs.value.count : lhs.value.lowestParty > rhs.value.lowestParty
            }
            digests[path] = .some(winner?.key ?? nil)
        }
        referenceDigests = digests
    }

    /// The components on which `statement` differs from the reference, most precise first in path order.
    func differences(of statement: Statement) -> [NetworkReport.Difference] {
        var differing: [String: (mine: String?, reference: String?)] = [:]
        for (path, reference) in referenceDigests where statement.components[path] != reference {
            differing[path] = (statement.components[path], reference)
        }
        func presenceDiffers(_ path: String) -> Bool {
            guard let pair = differing[path] else { return false }
            return (pair.mine == nil) != (pair.reference == nil)
        }
        var result: [NetworkReport.Difference] = []
        for path in Statement.sorted(differing.keys) {
            let ancestors = differing.keys.filter { StatementFormat.isAncestor($0, of: path) }
            if ancestors.contains(where: presenceDiffers) { continue }
            let hasDifferingDescendant = differing.keys.contains { StatementFormat.isAncestor(path, of: $0) }
            if hasDifferingDescendant && !presenceDiffers(path) { continue }
            let pair = differing[path]!
            result.append(
                NetworkReport.Difference(
                    component: path, digest: pair.mine, referenceDigest: pair.reference,
                    value: pair.mine.flatMap { knownValues[path]?[$0] },
                    referenceValue: pair.reference.flatMap { knownValues[path]?[$0] }))
        }
        return result
    }

    /// True for the components that sum up others: the peer list and each peer entry.
    static func isGroup(_ path: String) -> Bool {
        path == SharedComponents.peerList
            || (path.hasPrefix(SharedComponents.peerList + "[party_id=") && path.hasSuffix("]")
                && !path.dropFirst(SharedComponents.peerList.count + 1).contains("["))
    }
}
