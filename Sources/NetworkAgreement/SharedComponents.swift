import DriftCore
import FileSystem
import FoundationEssentials
import KMSValidation
import TOML

/// The network-shared part of one party's kms-server configuration, as a statement states it:
/// every value of `SharedValues` (the list `consistency` and `fingerprint` use) by its key path,
/// except that a peer's `tls_cert` (a path or a PEM on this party's disk) becomes the SHA-256 of
/// the certificate's DER, and a peer without `mpc_identity` has its `address` as identity, as
/// kms-server uses it. Groups sum them up: each peer entry, and the whole peer list.
///
/// Per-party values (`my_id`, listen addresses, storage, keychains, telemetry, this party's own
/// TLS key and certificate) are not in `SharedValues`, so they are never stated.
package struct SharedComponents: Sendable, Equatable {
    /// Leaf components: key path → canonical value.
    package private(set) var values: [String: String]

    /// The key path of the whole peer list.
    package static let peerList = "threshold.peers"

    package init(values: [String: String]) { self.values = values }

    /// The components of `root`; `certificateBase` is the directory relative certificate paths
    /// are read from (kms-server's working directory).
    package static func extract(from root: TOMLTable, certificateBase: String) throws(NetworkAgreementError)
        -> SharedComponents
    {
        var values: [String: String] = [:]
        let peerPrefix = KeyPath(keys: "threshold", "peers")
        for shared in SharedValues.extract(from: root) {
            let segments = shared.path.segments
            if segments.count > 3, shared.path.description.hasPrefix(peerPrefix.description + "["),
                case .key("tls_cert") = segments[3]
            {
                continue  // the certificate's content is stated below, never this party's path to it
            }
            values[shared.path.description] = NetworkFingerprint.canonical(shared.value)
        }
        guard let peers = root["threshold"]?.tableValue?["peers"]?.arrayValue else {
            return SharedComponents(values: values)
        }
        for position in 0..<peers.count {
            guard let peer = peers[position].tableValue, let id = peer["party_id"]?.integerValue else {
                continue
            }
            let base = peerPrefix.appending(.identity(key: "party_id", value: String(id))).description
            if peer["mpc_identity"] == nil, let address = peer["address"] {
                values[base + ".mpc_identity"] = NetworkFingerprint.canonical(address)
            }
            if let certificate = peer["tls_cert"] {
                let digest = try certificateDigest(certificate, peer: id, base: certificateBase)
                values[base + ".tls_cert"] = JSONWriter.quoted("sha256:" + digest)
            }
        }
        return SharedComponents(values: values)
    }

    /// Every component with its digest: the leaves, each peer entry and the peer list.
    package func digests(network: String, saltHex: String) -> [String: String] {
        var result: [String: String] = [:]
        for (path, canonical) in values {
            result[path] = StatementFormat.leafDigest(
                network: network, saltHex: saltHex, path: path, canonical: canonical)
        }
        return Self.addingGroups(to: result, network: network, saltHex: saltHex)
    }

    /// One hash of everything a statement of these components would state besides its time, number
    /// and chain head: what the daemon compares to decide whether to publish again.
    package func identity(network: String, saltHex: String, withValues: Bool) -> String {
        let digests = digests(network: network, saltHex: saltHex)
        var text = "\(network)\n\(saltHex)\n"
        for path in Statement.sorted(digests.keys) { text += "\(path) \(digests[path]!)\n" }
        if withValues {
            for path in Statement.sorted(values.keys) { text += "value \(path) \(values[path]!)\n" }
        }
        return SHA256Hex.of(text)
    }

    /// `leaves` with the digests of the peer entries and of the peer list added: what a checker
    /// recomputes to see that a statement's groups sum up its leaves.
    static func addingGroups(to leaves: [String: String], network: String, saltHex: String) -> [String:
        String]
    {
        var result = leaves
        var entries: [String: [(String, String)]] = [:]
        for (path, digest) in leaves {
            guard let entry = peerEntry(of: path) else { continue }
            entries[entry, default: []].append((path, digest))
        }
        var list: [(String, String)] = []
        for (entry, members) in entries {
            let digest = StatementFormat.groupDigest(
                network: network, saltHex: saltHex, path: entry, members: members)
            result[entry] = digest
            list.append((entry, digest))
        }
        if !list.isEmpty {
            result[peerList] = StatementFormat.groupDigest(
                network: network, saltHex: saltHex, path: peerList, members: list)
        }
        return result
    }

    /// `threshold.peers[party_id=7]` for a path under it; nil for any other path.
    static func peerEntry(of path: String) -> String? {
        let prefix = peerList + "[party_id="
        guard path.hasPrefix(prefix), let close = path.firstIndex(of: "]") else { return nil }
        let entry = String(path[...close])
        return path.count > entry.count ? entry : nil
    }

    /// The SHA-256 (hex) of the DER of every `CERTIFICATE` block of a peer's `tls_cert`: a table
    /// with `path` or `pem` (kms-server's `TlsCert`) or a plain path (the operators' guide). The
    /// DER, not the file, so line endings and comments around the PEM do not count.
    static func certificateDigest(_ value: TOMLValue, peer: Int64, base: String) throws(NetworkAgreementError)
        -> String
    {
        let pem: [UInt8]
        var source = "threshold.peers[party_id=\(peer)].tls_cert.pem"
        var path: String?
        switch value {
        case .string(let text): path = text
        case .table(let table):
            if let text = table["pem"]?.stringValue {
                pem = Array(text.utf8)
                return try digest(ofPEM: pem, source: source, peer: peer)
            }
            path = table["path"]?.stringValue
        default: break
        }
        guard let path, !path.isEmpty else {
            throw .certificate(
                peer: peer, source: "threshold.peers[party_id=\(peer)].tls_cert",
                reason: "it is neither a path nor a PEM; give tls_cert.path or tls_cert.pem")
        }
        let resolved = path.hasPrefix("/") || base.isEmpty ? path : base + "/" + path
        source = resolved
        do {
            pem = try FileContents.read(resolved, maximumSize: StatementFormat.maximumSize)
        } catch {
            let hint =
                path.hasPrefix("/")
                ? ""
                : " (a relative path is read from kms-server's working directory, here \(base.isEmpty ? "." : base))"
            throw .certificate(
                peer: peer, source: resolved, reason: "cannot read it: \(error.description)\(hint)")
        }
        return try digest(ofPEM: pem, source: source, peer: peer)
    }

    private static func digest(ofPEM bytes: [UInt8], source: String, peer: Int64)
        throws(NetworkAgreementError)
        -> String
    {
        var der: [UInt8] = []
        var body: String?
        for rawLine in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let line = rawLine.filter { !$0.isWhitespace }
            if line == "-----BEGINCERTIFICATE-----" {
                body = ""
            } else if line == "-----ENDCERTIFICATE-----", let text = body {
                guard let decoded = Data(base64Encoded: text), !decoded.isEmpty else {
                    throw .certificate(
                        peer: peer, source: source, reason: "a CERTIFICATE block is not base64")
                }
                der += Array(decoded)
                body = nil
            } else if body != nil {
                body! += line
            }
        }
        guard !der.isEmpty else {
            throw .certificate(
                peer: peer, source: source, reason: "it holds no \"-----BEGIN CERTIFICATE-----\" block")
        }
        return SHA256Hex.of(der)
    }
}
