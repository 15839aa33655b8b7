import DriftCore
import Foundation
import TestSupport
import Testing

@testable import KMSValidation

/// Certificates read as kms-server reads them at start-up (`build_tls_config`): each test makes
/// its certificates with swift-certificates and names the Rust line it mirrors.
@Suite("certificates: what kms-server refuses", .temporaryDirectory)
struct CertificateCheckerTests {
    static func config(identity1: String = "p1.kms.example", certificatePath1: String = "certs/cert_p1.pem")
        -> String
    {
        TLSNetwork.config(identity1: identity1, certificatePath1: certificatePath1)
    }

    /// Writes the certificates (party 1's may be replaced) and the key; returns the directory.
    static func writeCertificates(
        party1: TestCertificate? = nil, key: String? = nil, keyMode: mode_t = 0o600
    ) throws -> (directory: String, own: TestCertificate) {
        let directory = try TemporaryDirectory.current().path
        let own = try TLSNetwork.writeCertificates(in: directory, party1: party1, key: key, keyMode: keyMode)
        return (directory, own)
    }

    static func check(_ text: String, in directory: String, now: Date = Date()) throws -> [Finding] {
        let root = try parseTOML(text)
        let files = CertificateFiles(workingDirectory: directory, now: now)
        return CertificateChecker(file: "kms.toml", files: files).check(root).findings
    }

    @Test("a matching self-signed certificate for every peer, and the key that belongs to it, pass")
    func matchingPasses() throws {
        // kms-server.rs:156-166 (every peer's into_pem_with_sanity_check) and :178-196 (own cert and key)
        let (directory, _) = try Self.writeCertificates()
        let findings = try Self.check(Self.config(), in: directory)
        #expect(findings.isEmpty, "\(findings.map(\.message))")
    }

    @Test("CN other than mpc_identity: start-up fails, quoting kms-server's error")
    func subjectNotIdentity() throws {
        // conf/threshold.rs:163-166: ensure!(subject == mpc_identity, "Certificate subject … does not match …")
        let (directory, _) = try Self.writeCertificates()
        let findings = try Self.check(Self.config(identity1: "core1.kms.example"), in: directory)
        let finding = try #require(findings.first { $0.rule == "certificate-subject-not-identity" })
        #expect(finding.level == .error)
        #expect(finding.stage?.name == "start-up")
        #expect(finding.message.hasPrefix("fails at start-up"))
        #expect(
            finding.message.contains(
                "Certificate subject p1.kms.example does not match mpc_identity core1.kms.example"))
        #expect(finding.path.description == "threshold.peers[party_id=1].tls_cert.path")
    }

    @Test("without mpc_identity the subject must be the address")
    func addressIsTheIdentity() throws {
        // conf/threshold.rs:156-161: mpc_identity.unwrap_or(&peer.address)
        let (directory, _) = try Self.writeCertificates()
        let text = Self.config().replacingOccurrences(of: "mpc_identity = \"p2.kms.example\"\n", with: "")
        let findings = try Self.check(text, in: directory)
        let finding = try #require(findings.first { $0.rule == "certificate-subject-not-identity" })
        #expect(finding.message.contains("does not match mpc_identity p2"))
        #expect(finding.message.contains("party 2's certificate"))
    }

    @Test("CN not among the DNS SANs")
    func commonNameNotInSAN() throws {
        // tls.rs:648: bail!("Bad certificate: subject CN not found in SAN")
        let certificate = try TestCertificates.make(
            commonName: "p1.kms.example", alternativeNames: .dns(["other.kms.example"]))
        let (directory, _) = try Self.writeCertificates(party1: certificate)
        let findings = try Self.check(Self.config(), in: directory)
        let finding = try #require(findings.first { $0.rule == "certificate-cn-not-in-san" })
        #expect(finding.level == .error)
        #expect(finding.message.contains("Bad certificate: subject CN not found in SAN"))
        #expect(finding.message.contains("tls.rs:648"))
    }

    @Test("a SAN without DNS name, and no SAN at all")
    func noDNSName() throws {
        // tls.rs:620: bail!("No valid SAN found"); tls.rs:607: bail!("SAN not specified")
        for (names, text, line) in [
            (TestCertificates.AlternativeNames.emailOnly, "No valid SAN found", "tls.rs:620"),
            (.none, "SAN not specified", "tls.rs:607"),
        ] {
            let certificate = try TestCertificates.make(commonName: "p1.kms.example", alternativeNames: names)
            let (directory, _) = try Self.writeCertificates(party1: certificate)
            let findings = try Self.check(Self.config(), in: directory)
            let finding = try #require(findings.first { $0.rule == "certificate-no-dns-san" })
            #expect(finding.level == .error)
            #expect(finding.message.contains(text))
            #expect(finding.message.contains(line))
        }
    }

    @Test("CN other than the issuer CN (with and without a dot)")
    func commonNameNotIssuer() throws {
        // tls.rs:643: "Bad certificate: subject CN does not match issuer CN" (a CN without a dot)
        let plain = try TestCertificates.make(commonName: "party1", issuerCommonName: "kms-ca")
        var (directory, _) = try Self.writeCertificates(party1: plain)
        var findings = try Self.check(Self.config(identity1: "party1"), in: directory)
        var finding = try #require(findings.first { $0.rule == "certificate-cn-not-issuer" })
        #expect(finding.message.contains("Bad certificate: subject CN does not match issuer CN"))
        #expect(finding.message.contains("tls.rs:643"))
        // tls.rs:639: neither core1.example.com nor its suffix example.com is the issuer CN
        let dotted = try TestCertificates.make(
            commonName: "p1.kms.example", issuerCommonName: "other.example")
        (directory, _) = try Self.writeCertificates(party1: dotted)
        findings = try Self.check(Self.config(), in: directory)
        finding = try #require(findings.first { $0.rule == "certificate-cn-not-issuer" })
        #expect(finding.message.contains("(or subject CN suffix)"))
        #expect(finding.message.contains("tls.rs:639"))
        // A CA named by the suffix passes: core1.kms.example issued by kms.example.
        let replica = try TestCertificates.make(commonName: "p1.kms.example", issuerCommonName: "kms.example")
        (directory, _) = try Self.writeCertificates(party1: replica)
        findings = try Self.check(Self.config(), in: directory)
        #expect(!findings.contains { $0.rule == "certificate-cn-not-issuer" })
    }

    @Test("a missing certificate file: start-up fails with kms-server's words, errno meaning included")
    func missingFile() throws {
        // conf/threshold.rs:138: "Failed to open TLS cert file {}: {}"
        let (directory, _) = try Self.writeCertificates()
        let findings = try Self.check(Self.config(certificatePath1: "certs/missing.pem"), in: directory)
        let finding = try #require(findings.first { $0.rule == "certificate-file-unreadable" })
        #expect(finding.level == .error)
        #expect(finding.message.contains("Failed to open TLS cert file certs/missing.pem"))
        #expect(finding.message.contains("No such file or directory"))
    }

    @Test("a key that belongs to another certificate")
    func keyMismatch() throws {
        // kms-server.rs:189: CertifiedKey::from_der refuses a key that does not match the certificate
        let other = try TestCertificates.make(commonName: "p1.kms.example")
        let (directory, _) = try Self.writeCertificates(key: other.keyPEM)
        let findings = try Self.check(Self.config(), in: directory)
        let finding = try #require(findings.first { $0.rule == "certificate-key-mismatch" })
        #expect(finding.level == .error)
        #expect(finding.path.description == "threshold.tls.manual.key.path")
        #expect(finding.message.contains("kms-server.rs:189"))
        #expect(!finding.message.contains("PRIVATE KEY"))
    }

    @Test("an expired certificate: kms-server starts, every handshake with that party fails")
    func expired() throws {
        // tls.rs:296 and :397: webpki verifies the peer's certificate with `now` at each handshake
        let old = try TestCertificates.make(
            commonName: "p1.kms.example", validFrom: Date().addingTimeInterval(-400 * 86_400),
            validUntil: Date().addingTimeInterval(-2 * 86_400))
        let (directory, _) = try Self.writeCertificates(party1: old)
        let findings = try Self.check(Self.config(), in: directory)
        let peer = try #require(
            findings.first {
                $0.rule == "certificate-expired" && $0.path.description.hasPrefix("threshold.peers")
            })
        #expect(peer.level == .error)
        #expect(peer.stage == .handshake("party 1"))
        #expect(
            peer.message.hasPrefix("every handshake with party 1 fails: party 1's certificate expired on"))
        let own = try #require(
            findings.first {
                $0.rule == "certificate-expired" && $0.path.description.hasPrefix("threshold.tls")
            })
        #expect(own.message.hasPrefix("every handshake with every peer fails"))
    }

    @Test("a certificate not valid yet is an error too")
    func notYetValid() throws {
        // tls.rs:296 and :397, the other end of the validity period
        let future = try TestCertificates.make(
            commonName: "p1.kms.example", validFrom: Date().addingTimeInterval(3 * 86_400),
            validUntil: Date().addingTimeInterval(400 * 86_400))
        let (directory, _) = try Self.writeCertificates(party1: future)
        let findings = try Self.check(Self.config(), in: directory)
        #expect(findings.contains { $0.rule == "certificate-not-yet-valid" && $0.level == .error })
    }

    @Test("a certificate expiring in 10 days is a warning that says when and what then fails")
    func expiringSoon() throws {
        // tls.rs:296 and :397: nothing fails yet; in 10 days every handshake with party 1 does
        let soon = try TestCertificates.make(
            commonName: "p1.kms.example", validUntil: Date().addingTimeInterval(10 * 86_400 + 60))
        let (directory, _) = try Self.writeCertificates(party1: soon)
        let findings = try Self.check(Self.config(), in: directory)
        let peer = try #require(findings.first { $0.rule == "certificate-expiring" })
        #expect(peer.level == .warning)
        #expect(peer.message.contains("will expire in 10 days"))
        #expect(peer.message.contains("then every handshake with party 1 fails"))
        #expect(!findings.contains { $0.level == .error })
        // Outside the configured window: nothing.
        let root = try parseTOML(Self.config())
        let narrow = CertificateFiles(workingDirectory: directory, warningDays: 7)
        #expect(CertificateChecker(file: "kms.toml", files: narrow).check(root).findings.isEmpty)
    }

    @Test("a key file readable by others is a warning; 0600 is not")
    func keyPermissions() throws {
        // The deployment checklist's "proper file permissions set (600)"; kms-server itself reads any mode.
        let (directory, _) = try Self.writeCertificates(keyMode: 0o644)
        let findings = try Self.check(Self.config(), in: directory)
        let finding = try #require(findings.first { $0.rule == "key-file-permissions" })
        #expect(finding.level == .warning)
        #expect(finding.message.contains("mode 644"))
    }

    @Test("--root maps absolute container paths, --workdir relative ones")
    func pathMapping() throws {
        let files = CertificateFiles(workingDirectory: "/srv/kms", root: "/mnt/container")
        #expect(files.machinePath(of: "/app/certs/a.pem") == "/mnt/container/app/certs/a.pem")
        #expect(files.machinePath(of: "certs/a.pem") == "/srv/kms/certs/a.pem")
        #expect(CertificateFiles().machinePath(of: "certs/a.pem") == "certs/a.pem")
        #expect(CertificateFiles().machinePath(of: "/app/a.pem") == "/app/a.pem")
    }

    @Test("without [threshold.tls] kms-server reads no certificate, and neither does validate")
    func noTLSNoRead() throws {
        // kms-server.rs:133: build_tls_config runs only when [threshold.tls] is set
        let text = Self.config().replacingOccurrences(
            of: "[threshold.tls.manual]\n", with: "[threshold.other]\n")
        let root = try parseTOML(text)
        #expect(CertificateReference.all(in: root).isEmpty)
    }

    @Test("a duplicated party_id: the cert is checked against the first peer with that id")
    func duplicatePartyUsesFirstPeer() throws {
        // conf/threshold.rs:176-182: peers.iter().find(|peer| peer.party_id == my_id)
        let (directory, _) = try Self.writeCertificates()
        let text = Self.config().replacingOccurrences(of: "party_id = 2\n", with: "party_id = 1\n")
        let findings = try Self.check(text, in: directory)
        let finding = try #require(findings.first { $0.rule == "certificate-subject-not-identity" })
        #expect(
            finding.message.contains(
                "subject `p2.kms.example`, not the peer's mpc_identity (or address) `p1.kms.example`"))
    }
}
