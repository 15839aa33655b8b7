import X509

/// The party name kms-server takes from a certificate (`extract_subject_from_cert`,
/// core/threshold-networking/src/tls.rs:602-651), with each refusal in the order it checks them.
package enum CertificateSubject {
    /// Why kms-server refuses a certificate's subject; each case quotes its error text.
    package enum Refusal: Error, Sendable, Equatable {
        /// tls.rs:607: no subjectAltName extension.
        case noSubjectAltName
        /// tls.rs:620: a subjectAltName without any DNS name.
        case noDNSName
        /// tls.rs:625: no CN in the subject.
        case noSubjectCN
        /// tls.rs:630: no CN in the issuer.
        case noIssuerCN
        /// tls.rs:639: `core1.example.com`'s suffix `example.com` and the CN itself both differ
        /// from the issuer CN.
        case suffixNotIssuer(subject: String, suffix: String, issuer: String)
        /// tls.rs:643: a CN without a dot that differs from the issuer CN.
        case notIssuer(subject: String, issuer: String)
        /// tls.rs:648: the CN is not among the DNS SANs.
        case notInSubjectAltNames(subject: String, names: [String])

        /// kms-server's own error text.
        package var refusalText: String {
            switch self {
            case .noSubjectAltName: return "SAN not specified"
            case .noDNSName: return "No valid SAN found"
            case .noSubjectCN: return "Bad certificate: missing subject"
            case .noIssuerCN: return "Bad certificate: missing issuer"
            case .suffixNotIssuer:
                return "Bad certificate: subject CN (or subject CN suffix) does not match issuer CN"
            case .notIssuer: return "Bad certificate: subject CN does not match issuer CN"
            case .notInSubjectAltNames: return "Bad certificate: subject CN not found in SAN"
            }
        }

        /// The rule's line in tls.rs.
        package var citation: String {
            switch self {
            case .noSubjectAltName: return "tls.rs:607"
            case .noDNSName: return "tls.rs:620"
            case .noSubjectCN: return "tls.rs:625"
            case .noIssuerCN: return "tls.rs:630"
            case .suffixNotIssuer: return "tls.rs:639"
            case .notIssuer: return "tls.rs:643"
            case .notInSubjectAltNames: return "tls.rs:648"
            }
        }

        /// What is wrong, in the operator's terms.
        package var explanation: String {
            switch self {
            case .noSubjectAltName: return "the certificate has no subjectAltName extension"
            case .noDNSName: return "the certificate's subjectAltName has no DNS name"
            case .noSubjectCN: return "the certificate's subject has no CN"
            case .noIssuerCN: return "the certificate's issuer has no CN"
            case .suffixNotIssuer(let subject, let suffix, let issuer):
                return
                    "neither the subject CN `\(subject)` nor its suffix `\(suffix)` is the issuer CN `\(issuer)`"
            case .notIssuer(let subject, let issuer):
                return "the subject CN `\(subject)` is not the issuer CN `\(issuer)`"
            case .notInSubjectAltNames(let subject, let names):
                return
                    "the subject CN `\(subject)` is not among the DNS names of the subjectAltName (\(names.joined(separator: ", ")))"
            }
        }

        /// The finding class (a SARIF rule).
        package var rule: String {
            switch self {
            case .noSubjectAltName, .noDNSName: return "certificate-no-dns-san"
            case .noSubjectCN, .noIssuerCN: return "certificate-no-cn"
            case .suffixNotIssuer, .notIssuer: return "certificate-cn-not-issuer"
            case .notInSubjectAltNames: return "certificate-cn-not-in-san"
            }
        }
    }

    /// The subject kms-server derives from `certificate`, or why it refuses it.
    package static func of(_ certificate: Certificate) -> Result<String, Refusal> {
        let names: [String]
        do {
            guard let alternativeNames = try certificate.extensions.subjectAlternativeNames else {
                return .failure(.noSubjectAltName)
            }
            names = alternativeNames.compactMap { name in
                if case .dnsName(let dnsName) = name { return dnsName }
                return nil
            }
        } catch {
            // x509-parser's `subject_alternative_name()` fails the same way on a malformed extension.
            return .failure(.noSubjectAltName)
        }
        guard !names.isEmpty else { return .failure(.noDNSName) }
        guard let subject = firstCommonName(certificate.subject) else { return .failure(.noSubjectCN) }
        guard let issuer = firstCommonName(certificate.issuer) else { return .failure(.noIssuerCN) }
        if let dot = subject.firstIndex(of: ".") {
            let suffix = String(subject[subject.index(after: dot)...])
            if suffix != issuer && subject != issuer {
                return .failure(.suffixNotIssuer(subject: subject, suffix: suffix, issuer: issuer))
            }
        } else if subject != issuer {
            return .failure(.notIssuer(subject: subject, issuer: issuer))
        }
        guard names.contains(subject) else {
            return .failure(.notInSubjectAltNames(subject: subject, names: names))
        }
        return .success(subject)
    }

    /// The first CN of a name, as x509-parser's `iter_common_name().next()` and `as_str()`.
    package static func firstCommonName(_ name: DistinguishedName) -> String? {
        for relativeName in name {
            for attribute in relativeName where attribute.type == .RDNAttributeType.commonName {
                return String(attribute.value)
            }
        }
        return nil
    }
}
