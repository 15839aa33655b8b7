import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate and its private key, both PEM, made for one test.
public struct TestCertificate: Sendable {
    public let certificatePEM: String
    public let keyPEM: String
    /// The notAfter written in the certificate, in whole seconds since the epoch.
    public let validUntilSeconds: Int64
}

/// Certificates made in the test with swift-certificates (P-256), shaped to hit each rule of
/// kms-server's `extract_subject_from_cert` and validity checks.
public enum TestCertificates {
    /// Which subjectAltName the certificate carries.
    public enum AlternativeNames: Sendable {
        /// A DNS name for each string.
        case dns([String])
        /// Only an e-mail address: a SAN without a DNS name.
        case emailOnly
        /// No subjectAltName extension at all.
        case none
    }

    /// A certificate for `commonName`, signed with its own key; `issuerCommonName` nil means
    /// self-signed (issuer = subject), `dnsNames` nil means the CN as the only DNS SAN.
    public static func make(
        commonName: String, issuerCommonName: String? = nil, alternativeNames: AlternativeNames? = nil,
        validFrom: Date = Date().addingTimeInterval(-86_400),
        validUntil: Date = Date().addingTimeInterval(365 * 86_400)
    ) throws -> TestCertificate {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName { CommonName(commonName) }
        let issuer = try DistinguishedName { CommonName(issuerCommonName ?? commonName) }
        let names = alternativeNames ?? .dns([commonName])
        var extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
        }
        switch names {
        case .dns(let dnsNames):
            try extensions.append(
                Certificate.Extension(
                    SubjectAlternativeNames(dnsNames.map { GeneralName.dnsName($0) }), critical: false))
        case .emailOnly:
            try extensions.append(
                Certificate.Extension(
                    SubjectAlternativeNames([.rfc822Name("ops@example.com")]), critical: false))
        case .none:
            break
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: validFrom, notValidAfter: validUntil, issuer: issuer, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: key)
        return TestCertificate(
            certificatePEM: try certificate.serializeAsPEM().pemString,
            keyPEM: try key.serializeAsPEM().pemString,
            validUntilSeconds: Int64(certificate.notValidAfter.timeIntervalSince1970.rounded(.down)))
    }
}

/// A 4-party (t = 1) kms-server config with manual TLS, and its certificate files: party N's
/// certificate is certs/cert_pN.pem with subject pN.kms.example; this party (1) has certs/key_p1.pem.
public enum TLSNetwork {
    /// The config; party 1's `mpc_identity` and certificate path can be changed.
    public static func config(
        identity1: String = "p1.kms.example", certificatePath1: String = "certs/cert_p1.pem"
    )
        -> String
    {
        var text = """
            [service]
            listen_address = "0.0.0.0"
            listen_port = 50100
            timeout_secs = 360
            grpc_max_message_size = 104857600

            [threshold]
            listen_address = "0.0.0.0"
            listen_port = 50001
            my_id = 1
            threshold = 1
            dec_capacity = 10000
            min_dec_cache = 6000
            decryption_mode = "NoiseFloodSmall"

            [threshold.tls.manual]
            cert.path = "certs/cert_p1.pem"
            key.path = "certs/key_p1.pem"

            """
        for party in 1...4 {
            text += """

                [[threshold.peers]]
                party_id = \(party)
                address = "p\(party)"
                port = 50001
                mpc_identity = "\(party == 1 ? identity1 : "p\(party).kms.example")"
                tls_cert.path = "\(party == 1 ? certificatePath1 : "certs/cert_p\(party).pem")"

                """
        }
        return text
    }

    /// Writes the certificates under `directory` (party 1's may be given) and party 1's key (its
    /// own unless `key` is given); returns party 1's certificate.
    @discardableResult
    public static func writeCertificates(
        in directory: String, party1: TestCertificate? = nil, key: String? = nil, keyMode: mode_t = 0o600
    ) throws -> TestCertificate {
        let own = try party1 ?? TestCertificates.make(commonName: "p1.kms.example")
        let certs = URL(fileURLWithPath: directory).appendingPathComponent("certs")
        _ = try writeFile(own.certificatePEM, to: certs.appendingPathComponent("cert_p1.pem"))
        for party in 2...4 {
            let certificate = try TestCertificates.make(commonName: "p\(party).kms.example")
            _ = try writeFile(
                certificate.certificatePEM, to: certs.appendingPathComponent("cert_p\(party).pem"))
        }
        _ = try writeFile(key ?? own.keyPEM, to: certs.appendingPathComponent("key_p1.pem"), mode: keyMode)
        return own
    }
}
