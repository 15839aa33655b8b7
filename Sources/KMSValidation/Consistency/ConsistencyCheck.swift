import DriftCore
import TOML

/// One party's file as consistency names it: the path and the `my_id` it claims.
package struct PartyFile: Sendable, CustomStringConvertible {
    package let file: String
    package let myID: Int64?

    /// `party7.toml (my_id 7)`.
    package var description: String { "\(file) (my_id \(myID.map(String.init) ?? "unset"))" }
}

/// A shared value on which some parties differ from the majority.
package struct Disagreement: Sendable {
    /// What one party holds there: its value, or nil when the key is absent.
    package struct Holding: Sendable {
        package let party: PartyFile
        package let value: SharedValue?
    }

    package let path: KeyPath
    /// The majority's value (nil: absent) as written by the first party that holds it.
    package let majority: Holding
    package let majorityCount: Int
    package let dissenters: [Holding]
}

/// What `consistency` found over one config per party.
package struct ConsistencyReport: Sendable {
    package let parties: [PartyFile]
    package let disagreements: [Disagreement]
    /// Problems with `my_id`: missing, claimed twice, or a peer no file claims.
    package let identityFindings: [Finding]

    package var isConsistent: Bool { disagreements.isEmpty && identityFindings.errorCount == 0 }
}

/// Compares the network-shared values (`SharedValues`) of every party's config and reports,
/// per value, which parties differ from the majority; checks that `my_id`s are distinct and
/// cover the peer list.
package struct ConsistencyCheck: Sendable {
    package init() {}

    package func check(_ configs: [ConfigFile]) -> ConsistencyReport {
        let parties = configs.map {
            PartyFile(file: $0.path, myID: $0.root["threshold"]?.tableValue?["my_id"]?.integerValue)
        }
        var order: [KeyPath] = []
        var tables: [[KeyPath: SharedValue]] = []
        var seen: Set<KeyPath> = []
        for config in configs {
            var table: [KeyPath: SharedValue] = [:]
            for shared in SharedValues.extract(from: config.root) {
                table[shared.path] = shared
                if seen.insert(shared.path).inserted { order.append(shared.path) }
            }
            tables.append(table)
        }
        var disagreements: [Disagreement] = []
        for path in order {
            if let disagreement = compare(path, parties: parties, values: tables.map { $0[path] }) {
                disagreements.append(disagreement)
            }
        }
        return ConsistencyReport(
            parties: parties, disagreements: disagreements,
            identityFindings: identityFindings(configs, parties))
    }

    /// Groups parties by equal value (`ValueEquality`; absence is a value of its own). The
    /// largest group is the majority; on a tie, the group of the earliest file.
    private func compare(_ path: KeyPath, parties: [PartyFile], values: [SharedValue?]) -> Disagreement? {
        var groups: [[Int]] = []
        for index in values.indices {
            if let group = groups.firstIndex(where: { Self.same(values[$0[0]], values[index]) }) {
                groups[group].append(index)
            } else {
                groups.append([index])
            }
        }
        guard groups.count > 1 else { return nil }
        let majority = groups.enumerated().max { lhs, rhs in
            lhs.element.count < rhs.element.count
                || (lhs.element.count == rhs.element.count && lhs.offset > rhs.offset)
        }!.element
        let first = majority[0]
        let dissenters = values.indices.filter { !majority.contains($0) }.map {
            Disagreement.Holding(party: parties[$0], value: values[$0])
        }
        return Disagreement(
            path: path, majority: Disagreement.Holding(party: parties[first], value: values[first]),
            majorityCount: majority.count, dissenters: dissenters)
    }

    private static func same(_ a: SharedValue?, _ b: SharedValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let a?, let b?): return ValueEquality.equal(a.value, b.value)
        default: return false
        }
    }

    private func identityFindings(_ configs: [ConfigFile], _ parties: [PartyFile]) -> [Finding] {
        var findings: [Finding] = []
        let myIDPath = KeyPath(keys: "threshold", "my_id")
        var claims: [Int64: [Int]] = [:]
        for (index, config) in configs.enumerated() {
            let threshold = config.root["threshold"]?.tableValue
            guard let entry = threshold?.entry(forKey: "my_id"), let id = entry.value.integerValue else {
                findings.append(
                    Finding(
                        .error, path: myIDPath, file: config.path, location: threshold?.location ?? .start,
                        message: "no integer my_id: this file cannot be matched to a party",
                        fix: "set `my_id` in [threshold] to this party's party_id"))
                continue
            }
            claims[id, default: []].append(index)
        }
        for (id, indices) in claims.sorted(by: { $0.key < $1.key }) where indices.count > 1 {
            for index in indices {
                let others = indices.filter { $0 != index }.map { configs[$0].path }.joined(separator: ", ")
                let location = configs[index].root["threshold"]?.tableValue?.entry(forKey: "my_id")?
                    .valueLocation
                findings.append(
                    Finding(
                        .error, path: myIDPath, file: configs[index].path, location: location ?? .start,
                        message: "my_id = \(id) is also claimed by \(others)",
                        fix: "give each party's config its own my_id (its party_id in the peer list)"))
            }
        }
        // Peers that no file claims, located in the first file that lists them.
        var listed: [Int64: (String, SourceLocation)] = [:]
        for config in configs {
            guard let peers = config.root["threshold"]?.tableValue?["peers"]?.arrayValue else { continue }
            for position in 0..<peers.count {
                if let id = peers[position].tableValue?["party_id"]?.integerValue, listed[id] == nil {
                    listed[id] = (config.path, peers.locations[position])
                }
            }
        }
        let complete = configs.count >= listed.count
        for (id, place) in listed.sorted(by: { $0.key < $1.key }) where claims[id] == nil {
            findings.append(
                Finding(
                    complete ? .error : .warning,
                    path: KeyPath(keys: "threshold", "peers").appending(
                        .identity(key: "party_id", value: String(id))),
                    file: place.0, location: place.1,
                    message: "no file given has my_id = \(id)"
                        + (complete ? "" : " (\(configs.count) of \(listed.count) parties given)"),
                    fix: complete
                        ? "one config claims another party's my_id; set party \(id)'s my_id to \(id)"
                        : "give one config per party to check the whole network"))
        }
        return findings.sortedByPosition()
    }
}
