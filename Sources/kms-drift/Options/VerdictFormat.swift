import ArgumentParser
import DriftCore
import KMSValidation
import SnapshotStore

/// The output formats of the commands a CI pipeline runs (`validate`, `check`, `diff`,
/// `snapshot`): text and JSON, plus GitHub Actions workflow commands and SARIF 2.1.0.
enum VerdictFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
    /// `::error file=…,line=…,col=…,title=…::message`, one line per finding.
    case github
    /// A SARIF 2.1.0 log, one rule per finding class.
    case sarif

    /// Annotations in this format (github or sarif only).
    func render(_ annotations: [PipelineAnnotation]) -> String {
        switch self {
        case .sarif: return SARIFLog.render(annotations, toolVersion: KMSDriftVersion.current)
        default: return GitHubAnnotations.render(annotations)
        }
    }
}

extension Severity: ExpressibleByArgument {}

/// Where kms-server's certificate files are on this machine, and when an expiry is "soon".
struct CertificateOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where kms-server's / is on this machine: absolute certificate and key paths are read below it.",
            discussion:
                "For a config written for a container: --root ./rootfs reads /app/certs/a.pem as ./rootfs/app/certs/a.pem. Relative paths are read from --workdir (kms-server's working directory), else from here.",
            valueName: "dir"))
    var root: String?

    @Option(
        name: .customLong("expiry-warning-days"),
        help: "Warn about a certificate that expires within this many days.")
    var expiryWarningDays: Int = 30

    @Flag(
        name: .customLong("no-certificates"),
        help: "Do not read the certificate and key files the config names.")
    var noCertificates = false

    func validate() throws {
        if expiryWarningDays < 0 { throw ValidationError("--expiry-warning-days must be 0 or more") }
    }

    /// The files to read, relative paths from `workdir`; nil with --no-certificates.
    func files(workingDirectory: String?) -> CertificateFiles? {
        guard !noCertificates else { return nil }
        return CertificateFiles(
            workingDirectory: workingDirectory, root: root, warningDays: expiryWarningDays)
    }
}
