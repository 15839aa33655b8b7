import DriftCore

/// `validate`'s results as pipeline annotations (`--format github`, `--format sarif`): each
/// finding at its file:line:column, its class as the rule; a file that could not be read or
/// parsed is one error on the file.
package enum ValidationAnnotations {
    package static func annotations(_ results: [FileValidation]) -> [PipelineAnnotation] {
        var annotations: [PipelineAnnotation] = []
        for result in results {
            if let failure = result.failure {
                annotations.append(
                    PipelineAnnotation(
                        level: .error, ruleID: "not-validated",
                        ruleDescription: description(of: "not-validated"),
                        file: result.file, line: nil, column: nil, title: "not validated", message: failure))
                continue
            }
            annotations += result.findings.map(annotation)
        }
        return annotations
    }

    package static func annotation(_ finding: Finding) -> PipelineAnnotation {
        let level: PipelineAnnotation.Level
        switch finding.level {
        case .error: level = .error
        case .warning: level = .warning
        case .note: level = .note
        }
        return PipelineAnnotation(
            level: level, ruleID: finding.ruleID, ruleDescription: description(of: finding.ruleID),
            file: finding.file, line: finding.location.line, column: finding.location.column,
            title: finding.path.isRoot ? finding.ruleID : finding.path.description,
            message: "\(finding.message); \(finding.fix)")
    }

    /// What each finding class means (the SARIF rule's short description).
    package static func description(of ruleID: String) -> String {
        descriptions[ruleID] ?? "A finding of kms-drift validate."
    }

    static let descriptions: [String: String] = [
        "not-validated": "The file could not be read or is not valid TOML.",
        "refused-when-parsed": "kms-server's loader (config-rs and serde) refuses the configuration.",
        "refused-by-validation": "kms-server's validate() refuses the configuration.",
        "fails-at-start-up": "kms-server parses the configuration, then fails at start-up.",
        "handshake-fails": "kms-server starts, but every TLS handshake with a party fails.",
        "degraded-start":
            "kms-server starts in degraded mode (recovery operations only) and serves no MPC request.",
        "duplicate-party-id":
            "Two peers share a party_id: the MPC context fails ContextInfo::verify and the server starts degraded.",
        "warning": "kms-server accepts the configuration but something will go wrong.",
        "note": "Information about the file.",
        "certificate-file-unreadable":
            "kms-server cannot open a TLS certificate or key file and fails at start-up.",
        "certificate-not-pem": "A TLS certificate is not a PEM X.509 certificate; start-up fails.",
        "key-not-pem": "The TLS private key is not a PEM private key; start-up fails.",
        "certificate-no-dns-san":
            "A certificate without a DNS subjectAltName; kms-server refuses it at start-up.",
        "certificate-no-cn":
            "A certificate without a CN in its subject or issuer; kms-server refuses it at start-up.",
        "certificate-cn-not-issuer":
            "The subject CN is neither the issuer CN nor has it as suffix; kms-server refuses it at start-up.",
        "certificate-cn-not-in-san": "The subject CN is not among the DNS subjectAltNames; start-up fails.",
        "certificate-subject-not-identity":
            "A peer certificate's subject is not the peer's mpc_identity (or address); start-up fails.",
        "own-certificate-subject": "This party's certificate does not name its own peer entry.",
        "certificate-key-mismatch": "The TLS private key does not belong to the certificate; start-up fails.",
        "certificate-expired": "A certificate has expired: every handshake with that party fails.",
        "certificate-not-yet-valid": "A certificate is not valid yet: every handshake with that party fails.",
        "certificate-expiring": "A certificate expires soon: then every handshake with that party fails.",
        "key-file-permissions": "A private key file is readable by group or others.",
    ]
}
