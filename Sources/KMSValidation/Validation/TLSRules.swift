import DriftCore
import TOML

/// Core-to-core TLS as kms-server builds it at start-up (`build_tls_config`,
/// kms-server.rs:133-302, run when `[threshold.tls]` is set and the signing key is present):
/// every peer's `tls_cert` is read and its subject compared with `mpc_identity` (or `address`),
/// then the party's own certificate and key are read. `[threshold.tls]` is never validated and
/// `TlsConf::Manual`'s `cert` and `key` default to the placeholder PEM "REDACTED"
/// (conf/threshold.rs:95-131), so all of this shows only at start-up.
struct TLSRules {
    let file: String

    func check(_ threshold: TOMLTable, into findings: inout [Finding]) {
        let base = KeyPath(keys: "threshold")
        let tls = threshold["tls"]?.tableValue
        let variant = tls?.entries.count == 1 ? tls?.entries.first : nil
        let tlsOn = variant.map { ["manual", "auto"].contains($0.key) } ?? false
        if let variant, let table = variant.value.tableValue {
            let path = base.appending(key: "tls").appending(key: variant.key)
            switch variant.key {
            case "manual":
                for (name, kind) in [("cert", "certificate"), ("key", "private key")] {
                    if let entry = table.entry(forKey: name) {
                        material(
                            entry, at: path.appending(key: name), kind: kind, tlsOn: true, into: &findings)
                    } else {
                        findings.append(
                            failure(
                                path.appending(key: name), table.location,
                                "without `\(name)`, kms-server uses the placeholder \(kind) \"REDACTED\" and building TLS fails",
                                fix: "add `\(name).path = \"…\"` (or `\(name).pem`) to [threshold.tls.manual]"
                            ))
                    }
                }
            case "auto":
                if let entry = table.entry(forKey: "eif_signing_cert") {
                    material(
                        entry, at: path.appending(key: "eif_signing_cert"), kind: "certificate", tlsOn: true,
                        into: &findings)
                }
            default:
                break
            }
        }
        guard let peers = threshold["peers"]?.arrayValue else { return }
        for position in 0..<peers.count {
            guard let peer = peers[position].tableValue else { continue }
            let path = SchemaValidator.itemPath(base.appending(key: "peers"), peer, position)
            let id = peer.unsigned("party_id", as: .usize).map(String.init) ?? "at position \(position + 1)"
            if let entry = peer.entry(forKey: "tls_cert") {
                material(
                    entry, at: path.appending(key: "tls_cert"), kind: "certificate", tlsOn: tlsOn,
                    into: &findings)
            } else if tlsOn {
                findings.append(
                    failure(
                        path.appending(key: "tls_cert"), peers.locations[position],
                        "building TLS panics: \"No CA certificate present for peer \(id)\"",
                        fix: "add `tls_cert.path = \"…\"` (or `tls_cert.pem`) to this peer"))
            }
            if let entry = peer.entry(forKey: "mpc_identity"), peer.convertedString("mpc_identity") == "" {
                let mpcPath = path.appending(key: "mpc_identity")
                if tlsOn {
                    findings.append(
                        failure(
                            mpcPath, entry.valueLocation,
                            "building TLS checks that peer \(id)'s certificate subject equals its mpc_identity, and it is empty",
                            fix:
                                "set mpc_identity to the certificate's subject name, or remove it to use `address`"
                        ))
                } else {
                    findings.append(
                        warning(
                            mpcPath, entry.valueLocation,
                            "mpc_identity is empty; kms-server does not check it: peer \(id)'s MPC identity is \"\" instead of "
                                + "its address, and turning TLS on would fail start-up",
                            fix:
                                "remove mpc_identity to use `address`, or set it to the certificate's subject name"
                        ))
                }
            }
        }
    }

    /// A `TlsCert`/`TlsKey` table (`path` or `pem`): empty, or a PEM without a PEM block, fails
    /// when TLS is built; without TLS it is never read.
    private func material(
        _ entry: TOMLTable.Entry, at path: KeyPath, kind: String, tlsOn: Bool, into findings: inout [Finding]
    ) {
        guard let table = entry.value.tableValue, table.entries.count == 1, let only = table.entries.first,
            let text = ConfigRsConversion.string(only.value)
        else { return }
        let problem: String
        let consequence: String
        switch only.key {
        case "path" where text.isEmpty:
            (problem, consequence) = ("the \(kind) path is empty", "reading it fails")
        case "pem" where text.isEmpty:
            (problem, consequence) = ("the \(kind) PEM is empty", "parsing it fails")
        case "pem" where !text.contains("-----BEGIN "):
            (problem, consequence) = ("the \(kind) PEM has no \"-----BEGIN\" block", "parsing it fails")
        default: return
        }
        let itemPath = path.appending(key: only.key)
        if tlsOn {
            findings.append(
                failure(
                    itemPath, only.valueLocation, "building TLS: \(problem), and \(consequence)",
                    fix: "point `\(only.key)` at the \(kind)"))
        } else {
            findings.append(
                warning(
                    itemPath, only.valueLocation,
                    "\(problem); kms-server does not read it while [threshold.tls] is absent, but \(consequence) once TLS is on",
                    fix: "point `\(only.key)` at the \(kind) before turning TLS on"))
        }
    }

    private func failure(_ path: KeyPath, _ location: SourceLocation, _ what: String, fix: String) -> Finding
    {
        .refused(.startUp(what), path: path, file: file, location: location, "", fix: fix)
    }

    private func warning(_ path: KeyPath, _ location: SourceLocation, _ message: String, fix: String)
        -> Finding
    {
        Finding(.warning, path: path, file: file, location: location, message: message, fix: fix)
    }
}
