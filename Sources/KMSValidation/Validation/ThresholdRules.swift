import DriftCore
import TOML

/// The threshold section's rules across keys, on values as config-rs converts them.
/// `validate()` refuses 3t+1 mismatches and party ids above n (`validate_threshold_party_conf`,
/// conf/threshold.rs:51-86); duplicate party ids pass `validate()` but leave the server in degraded
/// mode (an error whose stage says so); a `my_id` outside the peer list and the decryption cache
/// sizes are never checked by kms-server, so they are warnings that say what will happen. Values
/// of the wrong type are skipped: the schema validator has reported them.
package struct ThresholdRules: Sendable {
    package let file: String

    package init(file: String) {
        self.file = file
    }

    package func findings(in root: TOMLTable) -> [Finding] {
        guard let threshold = root["threshold"]?.tableValue else { return [] }
        var findings: [Finding] = []
        checkPeers(threshold, into: &findings)
        checkDecryptionCache(threshold, into: &findings)
        return findings
    }

    private func warning(_ path: KeyPath, _ location: SourceLocation, _ message: String, fix: String)
        -> Finding
    {
        Finding(.warning, path: path, file: file, location: location, message: message, fix: fix)
    }

    private func checkPeers(_ threshold: TOMLTable, into findings: inout [Finding]) {
        let base = KeyPath(keys: "threshold")
        // Without a peer list kms-server skips these checks (it only logs it).
        guard let peers = threshold["peers"]?.arrayValue else { return }
        let n = peers.count
        if let entry = threshold.entry(forKey: "threshold"), let t = threshold.unsigned("threshold", as: .u8),
            3 * Int(t) + 1 != n
        {
            let fitting =
                n > 0 && (n - 1) % 3 == 0 ? "threshold = \((n - 1) / 3)" : "a peer count of the form 3t+1"
            findings.append(
                .refused(
                    .validation, path: base.appending(key: "threshold"), file: file,
                    location: entry.valueLocation,
                    "threshold = \(t) needs 3t+1 = \(3 * Int(t) + 1) peers, but \(n) are listed",
                    fix: "list exactly \(3 * Int(t) + 1) [[threshold.peers]] or use \(fitting)"))
        }
        var seen: [UInt64: SourceLocation] = [:]
        for position in 0..<n {
            guard let peer = peers[position].tableValue, let idEntry = peer.entry(forKey: "party_id"),
                let id = peer.unsigned("party_id", as: .usize)
            else { continue }
            let path = SchemaValidator.itemPath(base.appending(key: "peers"), peer, position).appending(
                key: "party_id")
            if let first = seen[id] {
                let missing = (1...max(n, 1)).filter {
                    !peers.elements.compactMap(Self.partyID).contains(UInt64($0))
                }
                findings.append(
                    .refused(
                        .degraded, path: path, file: file, location: idEntry.valueLocation,
                        "party_id \(id) is listed twice (first at line \(first.line))"
                            + (missing.isEmpty
                                ? ""
                                : ", and no peer is party \(missing.map(String.init).joined(separator: ", "))")
                            + "; the default MPC context built from the peer list fails ContextInfo::verify "
                            + "(\"Duplicate party_ids found in context\", context.rs:497-505), kms-server skips it "
                            + "(\"Skipping context …: failed to verify context\", context_manager.rs:946) and with no "
                            + "context loaded is in recovery mode (context_manager.rs:965, kms_impl.rs:758-763)",
                        fix: "give every peer its own party_id in 1...\(n)", rule: "duplicate-party-id"))
            } else {
                seen[id] = idEntry.valueLocation
            }
            if id > UInt64(n) {
                findings.append(
                    .refused(
                        .validation, path: path, file: file, location: idEntry.valueLocation,
                        "party_id \(id) is greater than the number of parties (\(n))",
                        fix: "number the peers 1...\(n)"))
            }
        }
        if let entry = threshold.entry(forKey: "my_id"), let myID = threshold.unsigned("my_id", as: .usize),
            myID >= 1, !seen.keys.contains(myID)
        {
            let logged =
                myID > UInt64(n)
                ? "kms-server starts and only logs \"my_id \(myID) is greater than number of parties \(n)\""
                : "kms-server does not check this"
            findings.append(
                warning(
                    base.appending(key: "my_id"), entry.valueLocation,
                    "my_id = \(myID) is not the party_id of any peer; \(logged), and this node is not in its own peer list",
                    fix: "set my_id to this party's party_id in [[threshold.peers]]"))
        }
    }

    private static func partyID(_ peer: TOMLValue) -> UInt64? {
        peer.tableValue?.unsigned("party_id", as: .usize)
    }

    /// `MetaStore::insert` refuses a new request once `dec_capacity` are held and no more than
    /// `min_dec_cache` of them are finished; with `min_dec_cache ≥ dec_capacity` that is always.
    private func checkDecryptionCache(_ threshold: TOMLTable, into findings: inout [Finding]) {
        guard let capacity = threshold.unsigned("dec_capacity", as: .usize),
            let minimum = threshold.unsigned("min_dec_cache", as: .usize)
        else { return }
        let path = KeyPath(keys: "threshold")
        if capacity == 0, let entry = threshold.entry(forKey: "dec_capacity") {
            findings.append(
                warning(
                    path.appending(key: "dec_capacity"), entry.valueLocation,
                    "dec_capacity = 0; kms-server starts, but refuses every decryption (\"The system is fully loaded\")",
                    fix:
                        "set dec_capacity to the number of decryptions to keep in memory (10000 in the samples)"
                ))
        } else if minimum >= capacity, let entry = threshold.entry(forKey: "min_dec_cache") {
            findings.append(
                warning(
                    path.appending(key: "min_dec_cache"), entry.valueLocation,
                    "min_dec_cache (\(minimum)) is not below dec_capacity (\(capacity)); kms-server does not check this, "
                        + "the cache never evicts, and decryptions are refused once \(capacity) are held",
                    fix: "set min_dec_cache below dec_capacity (the samples use 6000 of 10000)"))
        }
    }
}
