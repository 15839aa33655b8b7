import TOML

/// Rules across keys that kms-server checks at start-up, or does not check and fails on
/// later (schema reference §2): 3t+1 peers, party ids, `my_id`, port clash, decryption cache,
/// `[aws]` for S3 and AWS KMS, TLS material for every peer, storage prefix safety.
/// Values of the wrong type are skipped here: the schema validator has reported them.
public struct ThresholdRules: Sendable {
    public let file: String

    public init(file: String) {
        self.file = file
    }

    public func findings(in root: TOMLTable) -> [Finding] {
        var findings: [Finding] = []
        if let threshold = root["threshold"]?.tableValue {
            checkPeers(threshold, into: &findings)
            checkPorts(root, threshold, into: &findings)
            checkDecryptionCache(threshold, into: &findings)
        }
        checkAWS(root, into: &findings)
        checkPrefixes(root, into: &findings)
        return findings
    }

    private func finding(
        _ path: KeyPath, _ location: SourceLocation, _ message: String, fix: String,
        level: Finding.Level = .error
    ) -> Finding {
        Finding(level, path: path, file: file, location: location, message: message, fix: fix)
    }

    private func checkPeers(_ threshold: TOMLTable, into findings: inout [Finding]) {
        let base = KeyPath(keys: "threshold")
        guard let peers = threshold["peers"]?.arrayValue else { return }
        let items = (0..<peers.count).compactMap { position -> (TOMLTable, SourceLocation)? in
            peers[position].tableValue.map { ($0, peers.locations[position]) }
        }
        let n = items.count
        if let entry = threshold.entry(forKey: "threshold"), let t = entry.value.integerValue, 3 * t + 1 != n
        {
            let fitting = (n - 1) % 3 == 0 ? "threshold = \((n - 1) / 3)" : "a peer count of the form 3t+1"
            findings.append(
                finding(
                    base.appending(key: "threshold"), entry.valueLocation,
                    "threshold = \(t) needs 3t+1 = \(3 * t + 1) peers, but \(n) are listed; kms-server refuses to start",
                    fix: "list exactly \(3 * t + 1) [[threshold.peers]] or use \(fitting)"))
        }
        var seen: [Int64: SourceLocation] = [:]
        var ids: Set<Int64> = []
        let tlsOn = threshold["tls"] != nil
        for (peer, header) in items {
            guard let idEntry = peer.entry(forKey: "party_id"), let id = idEntry.value.integerValue else {
                continue
            }
            let path = base.appending(key: "peers").appending(.identity(key: "party_id", value: String(id)))
            ids.insert(id)
            if let first = seen[id] {
                findings.append(
                    finding(
                        path.appending(key: "party_id"), idEntry.valueLocation,
                        "party_id \(id) is listed twice (first at line \(first.line))",
                        fix: "give every peer its own party_id in 1...\(n)"))
            } else {
                seen[id] = idEntry.valueLocation
            }
            if id < 1 || id > Int64(n) {
                findings.append(
                    finding(
                        path.appending(key: "party_id"), idEntry.valueLocation,
                        "party_id \(id) is outside 1...\(n) for \(n) peers",
                        fix: "number the peers 1...\(n)"))
            }
            if tlsOn && peer["tls_cert"] == nil {
                findings.append(
                    finding(
                        path.appending(key: "tls_cert"), header,
                        "peer \(id) has no `tls_cert` while TLS is on; kms-server panics (\"No CA certificate present\")",
                        fix: "add `tls_cert.path = \"…\"` (or `tls_cert.pem`) to this peer"))
            }
        }
        if let entry = threshold.entry(forKey: "my_id"), let myID = entry.value.integerValue, !items.isEmpty,
            !ids.contains(myID)
        {
            findings.append(
                finding(
                    base.appending(key: "my_id"), entry.valueLocation,
                    "my_id = \(myID) is not the party_id of any peer",
                    fix: "set my_id to this party's party_id in [[threshold.peers]]"))
        }
    }

    private func checkPorts(_ root: TOMLTable, _ threshold: TOMLTable, into findings: inout [Finding]) {
        guard let service = root["service"]?.tableValue?.entry(forKey: "listen_port")?.value.integerValue,
            let entry = threshold.entry(forKey: "listen_port"), entry.value.integerValue == service
        else { return }
        findings.append(
            finding(
                KeyPath(keys: "threshold", "listen_port"), entry.valueLocation,
                "threshold.listen_port equals service.listen_port (\(service)); the second listener fails to bind",
                fix: "give the peer (MPC) listener and the service endpoint different ports"))
    }

    private func checkDecryptionCache(_ threshold: TOMLTable, into findings: inout [Finding]) {
        guard let cache = threshold.entry(forKey: "min_dec_cache"), let minimum = cache.value.integerValue,
            let capacity = threshold["dec_capacity"]?.integerValue, minimum > capacity
        else { return }
        findings.append(
            finding(
                KeyPath(keys: "threshold", "min_dec_cache"), cache.valueLocation,
                "min_dec_cache (\(minimum)) is larger than dec_capacity (\(capacity)); the cache can never be refilled",
                fix: "set min_dec_cache to at most dec_capacity"))
    }

    /// S3 storage (including a capitalised `S3`, already reported) and AWS KMS keychains need `[aws]`.
    private func checkAWS(_ root: TOMLTable, into findings: inout [Finding]) {
        guard root["aws"] == nil else { return }
        for vault in KMSSchema.vaultNames {
            guard let table = root[vault]?.tableValue else { continue }
            let users: [(String, TOMLTable.Entry)] =
                (table["storage"]?.tableValue?.entries.filter { $0.key.lowercased() == "s3" }.map {
                    ("storage", $0)
                }
                    ?? [])
                + (table["keychain"]?.tableValue?.entries.filter { $0.key == "aws_kms" }.map {
                    ("keychain", $0)
                } ?? [])
            for (section, entry) in users {
                findings.append(
                    finding(
                        KeyPath(keys: "aws", "region"), entry.keyLocation,
                        "[\(vault).\(section).\(entry.key)] needs AWS settings, but there is no [aws] section; "
                            + "kms-server panics at start-up",
                        fix: "add [aws] with `region = \"…\"`"))
            }
        }
    }

    /// A vault's prefix must not start with another vault type's name (`storage_prefix_safety`).
    private func checkPrefixes(_ root: TOMLTable, into findings: inout [Finding]) {
        let own = ["public_vault": "PUB", "private_vault": "PRIV", "backup_vault": "BACKUP"]
        let types = ["PUB", "PRIV", "BACKUP", "CLIENT"]
        for vault in KMSSchema.vaultNames {
            guard let storage = root[vault]?.tableValue?["storage"]?.tableValue else { continue }
            for variant in storage.entries {
                guard let entry = variant.value.tableValue?.entry(forKey: "prefix"),
                    let prefix = entry.value.stringValue,
                    let clash = types.first(where: { $0 != own[vault] && prefix.hasPrefix($0) })
                else { continue }
                findings.append(
                    finding(
                        KeyPath(keys: vault, "storage", variant.key, "prefix"), entry.valueLocation,
                        "prefix \"\(prefix)\" of \(vault) starts with \(clash), another vault type's name; "
                            + "kms-server refuses it",
                        fix:
                            "start the prefix with \(own[vault] ?? "the vault's own type") (e.g. \"\(own[vault] ?? "")-p1\")"
                    ))
            }
        }
    }
}
