import DriftConfig
import DriftCore
import FileSystem
import KMSValidation
import SnapshotStore
import TOML

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The certificates the watched kms-server config names (`[validate] kms_config`), read each
/// cycle as kms-server reads them, so an expiry is raised before handshakes start failing: one
/// `expiring` warning when a certificate enters its last 30 days, then one critical at 7 days and
/// one at expiry, each once per certificate (renewing it, a new expiry date, starts again).
/// Relative certificate paths are read from the watched directory.
/// The last stage raised per certificate is in ``AlertMemory/certificateExpiryStages``.
struct CertificateExpiryWatch {
    /// How close to its expiry a certificate is; each stage is raised once.
    enum Stage: Int, Comparable {
        case distant = 0
        case within30Days = 1
        case within7Days = 2
        case expired = 3

        static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.rawValue < rhs.rawValue }

        init(secondsLeft: Int64) {
            switch secondsLeft {
            case ..<1: self = .expired
            case ..<(7 * 86_400 + 1): self = .within7Days
            case ..<(30 * 86_400 + 1): self = .within30Days
            default: self = .distant
            }
        }
    }

    let watchedDirectory: String
    /// Seconds since the epoch.
    let now: Int64

    /// The certificates the config names, and the events due for them (state kept in `store`).
    func check(_ config: ConfigFile, snapshot: SnapshotID, store: SnapshotStore) throws
        -> (events: [DriftEvent], certificates: [CertificateStatus])
    {
        let files = CertificateFiles(
            workingDirectory: watchedDirectory, now: Date(timeIntervalSince1970: Double(now)))
        // A file named twice (party 1's tls_cert and [threshold.tls.manual] cert) is one certificate.
        var certificates: [CertificateStatus] = []
        for certificate in CertificateChecker(file: config.path, files: files).check(config.root).certificates
        where !certificates.contains(certificate) {
            certificates.append(certificate)
        }
        var raised: [String: Int] = [:]
        let memory = AlertMemory(store: store)
        for line in try memory.certificateExpiryStages.split(separator: "\n") {
            guard let tab = line.lastIndex(of: "\t"), let stage = Int(line[line.index(after: tab)...]) else {
                continue
            }
            raised[String(line[..<tab])] = stage
        }
        var current: [String: Int] = [:]
        var events: [DriftEvent] = []
        for certificate in certificates {
            let key = "\(certificate.path)\t\(certificate.subject)\t\(certificate.expirySeconds)"
            let stage = Stage(secondsLeft: certificate.expirySeconds - now)
            let previous = raised[key] ?? 0
            current[key] = max(previous, stage.rawValue)
            guard stage.rawValue > previous else { continue }
            events.append(event(certificate, stage: stage, snapshot: snapshot))
        }
        let state = current.filter { $0.value > 0 }.map { "\($0.key)\t\($0.value)" }.sorted().joined(
            separator: "\n")
        if state != (try memory.certificateExpiryStages) {
            try memory.rememberCertificateExpiry(stages: state)
        }
        return (events, certificates)
    }

    private func event(_ certificate: CertificateStatus, stage: Stage, snapshot: SnapshotID) -> DriftEvent {
        let when = POSIX.utcTimestamp(seconds: certificate.expirySeconds)
        let days = (certificate.expirySeconds - now) / 86_400
        let what: String
        switch stage {
        case .expired:
            what = "expired on \(when): every handshake with the party it identifies fails"
        case .within7Days, .within30Days:
            what =
                "expires in \(days) day\(days == 1 ? "" : "s") (\(when)); then every handshake with the party it identifies fails"
        case .distant:
            what = "expires on \(when)"
        }
        return DriftEvent(
            kind: .expiring, snapshot: snapshot, report: nil,
            message: "certificate \(certificate.path) (subject \(certificate.subject)) \(what)",
            severity: stage == .within30Days ? .warning : .critical)
    }
}
