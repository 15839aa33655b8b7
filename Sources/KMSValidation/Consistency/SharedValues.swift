import DriftCore
import TOML

/// One value that every party of a network must hold equally, with where this party wrote it.
package struct SharedValue: Sendable {
    package let path: KeyPath
    package let value: TOMLValue
    package let location: SourceLocation
}

/// The one list of network-shared values, used by both `consistency` and `fingerprint`:
/// `threshold`, `decryption_mode`, the peer list (every key of every peer, matched by
/// `party_id`), trusted enclave releases, `rate_limiter_conf` and `internal_config`.
///
/// Everything else is party-local: `my_id`, listen addresses and ports, storage, keychains,
/// telemetry, the party's own `tls.manual` cert/key, `core_to_core_net` tuning.
package enum SharedValues {
    /// Single values, compared whole (an array of tables included).
    static let values: [[String]] = [
        ["threshold", "threshold"],
        ["threshold", "decryption_mode"],
        ["threshold", "tls", "auto", "trusted_releases"],
    ]
    /// Tables compared key by key, so a report names the one bucket that differs.
    static let tables: [[String]] = [["rate_limiter_conf"], ["internal_config"]]

    /// The shared values of a config in canonical order: the paths above in this order, peers by
    /// ascending `party_id`, keys inside a table sorted. Absent values are simply not listed.
    package static func extract(from root: TOMLTable) -> [SharedValue] {
        var result: [SharedValue] = []
        for path in values.prefix(2) { appendEntry(at: path, in: root, to: &result) }
        appendPeers(of: root, to: &result)
        for path in values.dropFirst(2) { appendEntry(at: path, in: root, to: &result) }
        for path in tables { appendEntry(at: path, in: root, to: &result) }
        return result
    }

    private static func appendEntry(at path: [String], in root: TOMLTable, to result: inout [SharedValue]) {
        var table = root
        for key in path.dropLast() {
            guard let next = table[key]?.tableValue else { return }
            table = next
        }
        guard let entry = table.entry(forKey: path[path.count - 1]) else { return }
        var keyPath = KeyPath()
        for key in path { keyPath = keyPath.appending(key: key) }
        flatten(entry.value, at: keyPath, location: entry.valueLocation, into: &result)
    }

    private static func appendPeers(of root: TOMLTable, to result: inout [SharedValue]) {
        guard let peers = root["threshold"]?.tableValue?["peers"]?.arrayValue else { return }
        var items: [(Int64, TOMLTable)] = []
        for position in 0..<peers.count {
            guard let peer = peers[position].tableValue, let id = peer["party_id"]?.integerValue else {
                continue
            }
            items.append((id, peer))
        }
        let base = KeyPath(keys: "threshold", "peers")
        for (id, peer) in items.sorted(by: { $0.0 < $1.0 }) {
            let path = base.appending(.identity(key: "party_id", value: String(id)))
            for entry in peer.entries.sorted(by: { $0.key < $1.key }) where entry.key != "party_id" {
                flatten(
                    entry.value, at: path.appending(key: entry.key), location: entry.valueLocation,
                    into: &result)
            }
        }
    }

    /// Tables become their leaves (sorted keys); arrays and scalars are leaves.
    private static func flatten(
        _ value: TOMLValue, at path: KeyPath, location: SourceLocation, into result: inout [SharedValue]
    ) {
        guard case .table(let table) = value else {
            result.append(SharedValue(path: path, value: value, location: location))
            return
        }
        for entry in table.entries.sorted(by: { $0.key < $1.key }) {
            flatten(
                entry.value, at: path.appending(key: entry.key), location: entry.valueLocation, into: &result)
        }
    }
}
