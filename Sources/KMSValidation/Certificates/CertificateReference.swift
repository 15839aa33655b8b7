import DriftCore
import TOML

/// One place a kms-server config names a certificate or key (`TlsCert`/`TlsKey`: a `path` or an
/// inline `pem`), with what kms-server does with it.
package struct CertificateReference: Sendable {
    package enum Role: Sendable, Equatable {
        /// A peer's `tls_cert`: its subject must be `identity` (`into_pem`, conf/threshold.rs:153-168).
        case peer(partyID: UInt64, identity: String)
        /// `[threshold.tls.manual] cert`: this party's own certificate.
        case ownCertificate
        /// `[threshold.tls.manual] key`: its private key.
        case ownKey
    }

    package enum Source: Sendable, Equatable {
        case path(String)
        case pem(String)
    }

    package let role: Role
    package let source: Source
    /// `threshold.peers[party_id=3].tls_cert.path`.
    package let path: KeyPath
    package let location: SourceLocation

    /// The words findings use: "party 3's certificate", "this party's certificate".
    package var subjectPhrase: String {
        switch role {
        case .peer(let id, _): return "party \(id)'s certificate"
        case .ownCertificate: return "this party's TLS certificate ([threshold.tls.manual] cert)"
        case .ownKey: return "this party's TLS key ([threshold.tls.manual] key)"
        }
    }

    /// Who can no longer complete a handshake when this certificate is out of its validity.
    package var handshakeParty: String {
        switch role {
        case .peer(let id, _): return "party \(id)"
        case .ownCertificate, .ownKey: return "every peer"
        }
    }

    /// The references kms-server reads at start-up: none unless `[threshold.tls]` is `manual` or
    /// `auto` (TLS is built only then, kms-server.rs:133-302). Values of the wrong shape are
    /// skipped: the schema validator reports them.
    package static func all(in root: TOMLTable) -> [CertificateReference] {
        guard let threshold = root["threshold"]?.tableValue, let tls = threshold["tls"]?.tableValue,
            tls.entries.count == 1, let variant = tls.entries.first, ["manual", "auto"].contains(variant.key)
        else { return [] }
        var references: [CertificateReference] = []
        let base = KeyPath(keys: "threshold")
        if let peers = threshold["peers"]?.arrayValue {
            let tables = peers.elements.compactMap(\.tableValue)
            for position in 0..<peers.count {
                guard let peer = peers[position].tableValue, let id = peer.unsigned("party_id", as: .usize),
                    let entry = peer.entry(forKey: "tls_cert")
                else { continue }
                // into_pem_with_sanity_check(peer.party_id, peers) compares with the *first* peer
                // carrying this party_id (conf/threshold.rs:170-185).
                let first = tables.first { $0.unsigned("party_id", as: .usize) == id } ?? peer
                let identity = first.convertedString("mpc_identity") ?? first.convertedString("address") ?? ""
                let path = SchemaValidator.itemPath(base.appending(key: "peers"), peer, position)
                    .appending(key: "tls_cert")
                if let reference = Self.reference(
                    entry, role: .peer(partyID: id, identity: identity), at: path)
                {
                    references.append(reference)
                }
            }
        }
        if variant.key == "manual", let manual = variant.value.tableValue {
            let path = base.appending(key: "tls").appending(key: "manual")
            for (key, role) in [("cert", Role.ownCertificate), ("key", Role.ownKey)] {
                if let entry = manual.entry(forKey: key),
                    let reference = Self.reference(entry, role: role, at: path.appending(key: key))
                {
                    references.append(reference)
                }
            }
        }
        return references
    }

    private static func reference(_ entry: TOMLTable.Entry, role: Role, at path: KeyPath)
        -> CertificateReference?
    {
        guard let table = entry.value.tableValue, table.entries.count == 1, let only = table.entries.first,
            let text = ConfigRsConversion.string(only.value), !text.isEmpty
        else { return nil }
        let source: Source
        switch only.key {
        case "path": source = .path(text)
        case "pem": source = .pem(text)
        default: return nil
        }
        return CertificateReference(
            role: role, source: source, path: path.appending(key: only.key), location: only.valueLocation)
    }
}
