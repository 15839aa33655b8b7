import DriftCore
import FileSystem
import KMSValidation
import SnapshotStore

/// The daemon's figures for Prometheus' node_exporter textfile collector, rewritten after
/// every cycle. Counters count since the daemon started (Prometheus handles the reset).
package struct CycleMetrics: Sendable, Equatable {
    /// Unix time of the last snapshot that was stored; 0 before the first.
    package var lastSnapshotTimestamp: Int64 = 0
    /// Unix time of the last cycle that looked at the watched state, changed or not; 0 before the first.
    package var lastCheckTimestamp: Int64 = 0
    package var cycleDurationSeconds: Double = 0
    /// Differences from the reference at the last successful comparison.
    package var differences: [Severity: Int] = [:]
    package var errorsTotal: Int = 0
    package var hookFailuresTotal: Int = 0
    /// Validation errors of the watched kms-server config at the last cycle (`[validate]`).
    package var violations: Int = 0
    /// SIGHUP reloads whose configuration file could not be used (the previous one was kept).
    package var reloadFailuresTotal: Int = 0
    /// The network fingerprint of the effective configuration (`[effective]`), so a central
    /// Prometheus can alert when parties disagree without any configuration leaving a node.
    package var networkFingerprint: String? = nil
    /// `[network]`: how many parties agree, differ, are missing, stale or invalid, from the last check.
    package var networkParties: [String: Int]? = nil
    /// The newest link of the hash chain, exported as `kms_drift_chain_head_info`: Prometheus
    /// then keeps a witness of the history outside the database.
    package var chainHead: (snapshot: SnapshotID, hash: ContentHash)? = nil
    /// The certificates `[validate] kms_config` names, exported as
    /// `kms_drift_certificate_expiry_timestamp_seconds{path,subject}` for a central alert.
    package var certificates: [CertificateStatus] = []

    package init() {}

    package static func == (lhs: CycleMetrics, rhs: CycleMetrics) -> Bool {
        lhs.render() == rhs.render()
    }

    /// A cycle looked at the state at `seconds`: a new snapshot's time is the last snapshot's; an
    /// unchanged one keeps the time of the snapshot it confirmed.
    package mutating func recordCheck(of snapshot: SnapshotResult, at seconds: Int64) {
        lastCheckTimestamp = seconds
        if !snapshot.isUnchanged {
            lastSnapshotTimestamp = seconds
        } else if let link = snapshot.chain {
            lastSnapshotTimestamp = link.takenAtNanoseconds / 1_000_000_000
        }
        chainHead = snapshot.chain.map { (snapshot.id, $0.chainHash) }
    }

    /// The exposition text, with HELP and TYPE lines.
    package func render() -> String {
        var text = """
            # HELP kms_drift_last_snapshot_timestamp_seconds Unix time of the last stored snapshot.
            # TYPE kms_drift_last_snapshot_timestamp_seconds gauge
            kms_drift_last_snapshot_timestamp_seconds \(lastSnapshotTimestamp)
            # HELP kms_drift_last_check_timestamp_seconds Unix time of the last cycle that checked the state, changed or not.
            # TYPE kms_drift_last_check_timestamp_seconds gauge
            kms_drift_last_check_timestamp_seconds \(lastCheckTimestamp)
            # HELP kms_drift_cycle_duration_seconds Wall time of the last cycle (snapshot, compare, rotate, alert).
            # TYPE kms_drift_cycle_duration_seconds gauge
            kms_drift_cycle_duration_seconds \(Self.decimal(cycleDurationSeconds))
            # HELP kms_drift_differences Differences from the reference at the last comparison, by severity.
            # TYPE kms_drift_differences gauge

            """
        for severity in Severity.allCases {
            text += "kms_drift_differences{severity=\"\(severity.rawValue)\"} \(differences[severity] ?? 0)\n"
        }
        text += """
            # HELP kms_drift_errors_total Cycles that failed since the daemon started.
            # TYPE kms_drift_errors_total counter
            kms_drift_errors_total \(errorsTotal)
            # HELP kms_drift_hook_failures_total Hook runs that failed, timed out or could not start.
            # TYPE kms_drift_hook_failures_total counter
            kms_drift_hook_failures_total \(hookFailuresTotal)
            # HELP kms_drift_violations Policy violations (validation errors) of the watched kms-server config at the last cycle.
            # TYPE kms_drift_violations gauge
            kms_drift_violations \(violations)
            # HELP kms_drift_reload_failures_total SIGHUP reloads refused because the configuration file was bad (the previous one is kept).
            # TYPE kms_drift_reload_failures_total counter
            kms_drift_reload_failures_total \(reloadFailuresTotal)

            """
        if let networkFingerprint {
            text += """
                # HELP kms_drift_network_fingerprint_info Network fingerprint of the effective configuration; equal on every party.
                # TYPE kms_drift_network_fingerprint_info gauge
                kms_drift_network_fingerprint_info{fingerprint="\(networkFingerprint)"} 1

                """
        }
        if !certificates.isEmpty {
            text += """
                # HELP kms_drift_certificate_expiry_timestamp_seconds Unix time at which a certificate the kms-server config names expires.
                # TYPE kms_drift_certificate_expiry_timestamp_seconds gauge

                """
            for certificate in certificates {
                text +=
                    "kms_drift_certificate_expiry_timestamp_seconds{path=\"\(Self.label(certificate.path))\","
                    + "subject=\"\(Self.label(certificate.subject))\"} \(certificate.expirySeconds)\n"
            }
            text += "\n"
        }
        if let networkParties {
            text += NetworkMetrics.render(networkParties)
        }
        if let chainHead {
            text += """
                # HELP kms_drift_chain_head_info The newest link of the history's hash chain (kms-drift verify --witness).
                # TYPE kms_drift_chain_head_info gauge
                kms_drift_chain_head_info{snapshot="\(chainHead.snapshot.rawValue)",chain="\(chainHead.hash)"} 1

                """
        }
        return text
    }

    /// Writes `render()` to `path` atomically: a temporary file in the same directory, then
    /// `rename`, so the collector never reads half a file.
    package func write(to path: String) throws(AlertingError) {
        do throws(AtomicFileError) {
            try AtomicFile.write(Array(render().utf8), to: path, mode: 0o644)
        } catch {
            throw .metrics(path: path, reason: error.reason)
        }
    }

    /// A Prometheus label value: backslash, double quote and newline escaped.
    static func label(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func decimal(_ value: Double) -> String {
        let microseconds = Int64((value * 1_000_000).rounded())
        let fraction = String(microseconds % 1_000_000)
        return "\(microseconds / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
