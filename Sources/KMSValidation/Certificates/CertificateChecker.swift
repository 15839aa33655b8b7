import DriftCore
import FileSystem
import SwiftASN1
import TOML
import X509

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads the certificates and key a kms-server config names, as kms-server reads them when it
/// builds core-to-core TLS (`build_tls_config`, kms-server.rs:133-302), and says what will
/// happen: start-up fails (unreadable file, unparsable PEM, a subject kms-server refuses, a key
/// that does not belong to the certificate), every handshake with a party fails (out of its
/// validity), or it will soon. Each finding cites the kms-server line it mirrors.
package struct CertificateChecker: Sendable {
    package let file: String
    package let files: CertificateFiles

    /// Certificates and keys are small; a larger file is not one.
    static let maximumSize: Int64 = 1 << 20

    package init(file: String, files: CertificateFiles) {
        self.file = file
        self.files = files
    }

    /// The findings on every certificate and key the config names, and the certificates read.
    package func check(_ root: TOMLTable) -> (findings: [Finding], certificates: [CertificateStatus]) {
        var findings: [Finding] = []
        var statuses: [CertificateStatus] = []
        var ownCertificate: Certificate?
        var ownKey: (Certificate.PrivateKey, CertificateReference)?
        let ownPeer = Self.ownPeer(in: root)
        for reference in CertificateReference.all(in: root) {
            guard let text = load(reference, into: &findings) else { continue }
            if reference.role == .ownKey {
                if let key = parseKey(text, reference, into: &findings) { ownKey = (key, reference) }
                continue
            }
            guard let certificate = parseCertificate(text, reference, into: &findings) else { continue }
            statuses.append(
                CertificateStatus(
                    path: displayName(reference), subject: Self.subjectName(certificate),
                    notValidBefore: certificate.notValidBefore, notValidAfter: certificate.notValidAfter))
            switch reference.role {
            case .peer(_, let identity):
                checkSubject(certificate, reference, identity: identity, into: &findings)
            case .ownCertificate:
                ownCertificate = certificate
                if let ownPeer { checkOwnSubject(certificate, reference, peer: ownPeer, into: &findings) }
            case .ownKey:
                break
            }
            checkValidity(certificate, reference, into: &findings)
        }
        if let certificate = ownCertificate, let (key, reference) = ownKey,
            key.publicKey != certificate.publicKey
        {
            findings.append(
                .refused(
                    .startUp(
                        "the private key does not belong to the certificate: rustls's CertifiedKey::from_der "
                            + "refuses a key whose public key is not the certificate's (kms-server.rs:189)"),
                    path: reference.path, file: file, location: reference.location, "",
                    fix: "point [threshold.tls.manual] key at the key the certificate was issued for",
                    rule: "certificate-key-mismatch"))
        }
        return (findings, statuses)
    }

    // MARK: Reading

    private func displayName(_ reference: CertificateReference) -> String {
        switch reference.source {
        case .path(let path): return path
        case .pem: return "\(reference.path) (inline PEM)"
        }
    }

    /// The text kms-server reads (`read_to_string`, conf/threshold.rs:134-146 and 212-218).
    private func load(_ reference: CertificateReference, into findings: inout [Finding]) -> String? {
        let configured: String
        switch reference.source {
        case .pem(let text):
            // An inline PEM without a block is TLSRules' finding already.
            return text.contains("-----BEGIN ") ? text : nil
        case .path(let path):
            configured = path
        }
        let machinePath = files.machinePath(of: configured)
        let isKey = reference.role == .ownKey
        let here = machinePath == configured ? "" : " (read here as \(machinePath))"
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(machinePath, maximumSize: Self.maximumSize)
        } catch {
            let rustText = isKey ? "Failed to open TLS key file" : "Failed to open TLS cert file"
            let line = isKey ? "conf/threshold.rs:215" : "conf/threshold.rs:138"
            findings.append(
                .refused(
                    .startUp(
                        "\"\(rustText) \(configured)\"\(here): \(error.description) (\(line))"),
                    path: reference.path, file: file, location: reference.location, "",
                    fix: "put \(reference.subjectPhrase) at \(configured) relative to kms-server's working "
                        + "directory, or run validate with --workdir/--root where the files are",
                    rule: "certificate-file-unreadable"))
            return nil
        }
        if isKey, let mode = try? FilePermissions.of(machinePath), mode & 0o044 != 0 {
            findings.append(
                Finding(
                    .warning, path: reference.path, file: file, location: reference.location,
                    message: "the private key file \(configured)\(here) is readable by "
                        + (mode & 0o004 != 0 ? "others" : "its group") + " (mode \(String(mode, radix: 8)))",
                    fix: "chmod 600 \(configured) (the deployment checklist asks for 600)",
                    rule: "key-file-permissions"))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            findings.append(
                .refused(
                    .startUp("\(configured) is not UTF-8 text, and kms-server reads it with read_to_string"),
                    path: reference.path, file: file, location: reference.location, "",
                    fix: "convert \(reference.subjectPhrase) to PEM", rule: "certificate-not-pem"))
            return nil
        }
        return text
    }

    /// `parse_x509_pem` then `parse_x509` (conf/threshold.rs:148-155): the first PEM block, as X.509.
    private func parseCertificate(
        _ text: String, _ reference: CertificateReference, into findings: inout [Finding]
    )
        -> Certificate?
    {
        do {
            guard let document = try PEMDocument.parseMultiple(pemString: text).first else {
                throw CertificateCheckFailure.noPEMBlock
            }
            return try Certificate(derEncoded: document.derBytes)
        } catch {
            findings.append(
                .refused(
                    .startUp(
                        "\(reference.subjectPhrase) is not a PEM X.509 certificate (parse_x509_pem / parse_x509, "
                            + "conf/threshold.rs:148-155): \(Self.reason(error))"),
                    path: reference.path, file: file, location: reference.location, "",
                    fix: "point it at the PEM certificate (-----BEGIN CERTIFICATE-----)",
                    rule: "certificate-not-pem"))
            return nil
        }
    }

    /// `TlsKey::into_pem` then `PrivateKeyDer::try_from` (conf/threshold.rs:201-204, kms-server.rs:191).
    private func parseKey(_ text: String, _ reference: CertificateReference, into findings: inout [Finding])
        -> Certificate.PrivateKey?
    {
        do {
            guard let document = try PEMDocument.parseMultiple(pemString: text).first else {
                throw CertificateCheckFailure.noPEMBlock
            }
            return try Certificate.PrivateKey(pemDocument: document)
        } catch {
            // Never the key's text: only what kind of failure it was.
            findings.append(
                .refused(
                    .startUp(
                        "\(reference.subjectPhrase) is not a PEM private key (PKCS#8, SEC1 or PKCS#1) "
                            + "(conf/threshold.rs:201-204, kms-server.rs:191)"),
                    path: reference.path, file: file, location: reference.location, "",
                    fix: "point it at the unencrypted PEM private key of the certificate", rule: "key-not-pem"
                ))
            return nil
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let failure = error as? CertificateCheckFailure { return failure.description }
        return "\(error)"
    }

    // MARK: Rules

    /// `into_pem` (conf/threshold.rs:153-168): `extract_subject_from_cert`, then the subject must
    /// be the peer's mpc_identity (or its address).
    private func checkSubject(
        _ certificate: Certificate, _ reference: CertificateReference, identity: String,
        into findings: inout [Finding]
    ) {
        switch CertificateSubject.of(certificate) {
        case .failure(let refusal):
            findings.append(
                .refused(
                    .startUp(
                        "kms-server refuses \(reference.subjectPhrase): \(refusal.explanation) "
                            + "(\"\(refusal.refusalText)\", extract_subject_from_cert, \(refusal.citation))"),
                    path: reference.path, file: file, location: reference.location, "",
                    fix: Self.subjectFix(refusal), rule: refusal.rule))
        case .success(let subject) where subject != identity:
            findings.append(
                .refused(
                    .startUp(
                        "\(reference.subjectPhrase) has subject `\(subject)`, not the peer's mpc_identity "
                            + "(or address) `\(identity)` (\"Certificate subject \(subject) does not match "
                            + "mpc_identity \(identity)\", conf/threshold.rs:163-166)"),
                    path: reference.path, file: file, location: reference.location, "",
                    fix:
                        "set the peer's mpc_identity to `\(subject)`, or use the certificate issued for `\(identity)`",
                    rule: "certificate-subject-not-identity"))
        case .success:
            break
        }
    }

    /// The own certificate is compared only when kms-server finds itself in the peer list by its
    /// signing key's address (`verification_address`, kms-server.rs:168-179), which kms-drift
    /// cannot know: a mismatch with the `my_id` peer is a warning.
    private func checkOwnSubject(
        _ certificate: Certificate, _ reference: CertificateReference, peer: (id: UInt64, identity: String),
        into findings: inout [Finding]
    ) {
        let problem: String
        switch CertificateSubject.of(certificate) {
        case .failure(let refusal):
            problem = "\(refusal.explanation) (\"\(refusal.refusalText)\", \(refusal.citation))"
        case .success(let subject) where subject != peer.identity:
            problem =
                "its subject `\(subject)` is not party \(peer.id)'s mpc_identity (or address) `\(peer.identity)`"
        case .success:
            return
        }
        findings.append(
            Finding(
                .warning, path: reference.path, file: file, location: reference.location,
                message:
                    "\(reference.subjectPhrase): \(problem); start-up fails when kms-server finds itself "
                    + "in the peer list by its verification_address (kms-server.rs:168-179)",
                fix: "use the certificate issued for `\(peer.identity)`", rule: "own-certificate-subject"))
    }

    /// rustls checks validity at every handshake (webpki with `now`, tls.rs:296 and :397):
    /// kms-server starts, and then no handshake with that party succeeds.
    private func checkValidity(
        _ certificate: Certificate, _ reference: CertificateReference, into findings: inout [Finding]
    ) {
        let now = files.now
        let party = reference.handshakeParty
        if certificate.notValidAfter < now {
            findings.append(
                .refused(
                    .handshake(party),
                    path: reference.path, file: file, location: reference.location,
                    "\(reference.subjectPhrase) expired on \(Self.date(certificate.notValidAfter)) "
                        + "(rustls/webpki checks validity at each handshake, tls.rs:296 and :397)",
                    fix: "renew the certificate and distribute it to every party", rule: "certificate-expired"
                ))
        } else if certificate.notValidBefore > now {
            findings.append(
                .refused(
                    .handshake(party),
                    path: reference.path, file: file, location: reference.location,
                    "\(reference.subjectPhrase) is not valid before \(Self.date(certificate.notValidBefore)) "
                        + "(rustls/webpki checks validity at each handshake, tls.rs:296 and :397)",
                    fix: "check the clock, or issue the certificate with a start date in the past",
                    rule: "certificate-not-yet-valid"))
        } else {
            let days = Self.days(from: now, to: certificate.notValidAfter)
            if days <= files.warningDays {
                findings.append(
                    Finding(
                        .warning, path: reference.path, file: file, location: reference.location,
                        message: "\(reference.subjectPhrase) will expire \(Self.within(days)) "
                            + "(on \(Self.date(certificate.notValidAfter))); then every handshake with \(party) "
                            + "fails (tls.rs:296 and :397)",
                        fix: "renew the certificate before it expires and distribute it to every party",
                        rule: "certificate-expiring"))
            }
        }
    }

    private static func subjectFix(_ refusal: CertificateSubject.Refusal) -> String {
        switch refusal {
        case .noSubjectAltName, .noDNSName:
            return "reissue the certificate with its CN as a DNS subjectAltName"
        case .noSubjectCN, .noIssuerCN:
            return "reissue the certificate with a CN in its subject and issuer"
        case .suffixNotIssuer, .notIssuer:
            return
                "reissue the certificate self-signed (CN = issuer CN) or from a CA whose CN is the part after the first dot"
        case .notInSubjectAltNames(let subject, _):
            return "reissue the certificate with `\(subject)` among its DNS subjectAltNames"
        }
    }

    /// The peer whose party_id is `my_id`, with its identity (mpc_identity, else address).
    private static func ownPeer(in root: TOMLTable) -> (id: UInt64, identity: String)? {
        guard let threshold = root["threshold"]?.tableValue,
            let myID = threshold.unsigned("my_id", as: .usize),
            let peers = threshold["peers"]?.arrayValue
        else { return nil }
        for peer in peers.elements.compactMap(\.tableValue)
        where peer.unsigned("party_id", as: .usize) == myID {
            guard let identity = peer.convertedString("mpc_identity") ?? peer.convertedString("address")
            else {
                return nil
            }
            return (myID, identity)
        }
        return nil
    }

    /// The subject CN, or the whole subject when it has none.
    static func subjectName(_ certificate: Certificate) -> String {
        CertificateSubject.firstCommonName(certificate.subject) ?? certificate.subject.description
    }

    /// Whole days left, rounded down: a certificate expiring in 9.5 days "will expire in 9 days".
    static func days(from now: Date, to end: Date) -> Int {
        Int((end.timeIntervalSince(now) / 86_400).rounded(.down))
    }

    /// "in 12 days", "in 1 day", "in less than a day".
    static func within(_ days: Int) -> String {
        switch days {
        case ..<1: return "in less than a day"
        case 1: return "in 1 day"
        default: return "in \(days) days"
        }
    }

    /// `2026-12-18T20:09:00Z`.
    static func date(_ moment: Date) -> String {
        POSIX.utcTimestamp(seconds: Int64(moment.timeIntervalSince1970.rounded(.down)))
    }
}

/// Why a PEM text gave no certificate or key before X.509 parsing started.
enum CertificateCheckFailure: Error, CustomStringConvertible {
    case noPEMBlock

    var description: String { "no PEM block (-----BEGIN …-----) in it" }
}
