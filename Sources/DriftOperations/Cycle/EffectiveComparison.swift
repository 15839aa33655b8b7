import DriftConfig
import DriftCore
import EffectiveConfig
import KMSValidation
import SnapshotStore
import TOML

/// Compares the three states `[effective]` watches: the reference, what the disk would give
/// (`@effective/kms-server.toml`) and what runs (`@live/config.json`).
///
/// - effective ≠ reference: drift of `@effective/kms-server.toml`, each difference naming its
///   origin ("set by env `KMS_CORE__…`", "by /etc/config/kms_core.toml:3");
/// - live ≠ reference: drift of `@live/config.json` (it is what runs), each difference as
///   severe as the one severity table says for its key path;
/// - effective ≠ live: a `pending-restart` report (the disk changed, the process has not restarted).
///
/// kms-server's `/config` also lists every default it filled in and `null` for unset options;
/// keys only the live side has are those defaults, not differences. And it reports values in
/// their Rust types: `my_id = "2"` in a file runs as `2`, which is no difference either.
struct EffectiveComparison {
    let configuration: DriftConfiguration
    let settings: EffectiveSettings

    /// What the effective and live configurations are compared with: the baseline's recorded
    /// effective configuration, or the reference directory's `reference_file`.
    func reference(store: SnapshotStore) throws -> TOMLTable? {
        switch configuration.reference {
        case .baseline:
            guard let bytes = try? store.contents(of: EffectiveWatch.effectivePath, in: .baseline) else {
                return nil
            }
            return try ConfigFile.parse(bytes, path: "baseline " + EffectiveWatch.effectivePath).root
        case .directory(let directory):
            return try ConfigFile.load(
                directory + "/" + settings.referenceFile, version: configuration.tomlVersion
            ).root
        }
    }

    /// `report` without the virtual files' byte-level comparison, plus their comparisons by
    /// meaning; and the pending-restart report when the disk and the process disagree.
    func augment(_ report: DriftReport, with observation: EffectiveWatch.Observation, reference: TOMLTable?)
        throws -> (report: DriftReport, pendingRestart: DriftReport?)
    {
        let diff = ConfigDiff(ignoring: configuration.ignore)
        var files = report.files.filter { !DriftConfiguration.isComputedByCycle($0.path) }
        let effectiveRoot = try observation.effective?.configFile().root
        let liveRoot = try observation.live?.configFile(named: EffectiveWatch.livePath).root
        if let reference, let effectiveRoot, let effective = observation.effective {
            let differences = diff.differences(from: reference, to: effectiveRoot).map {
                ReportOrigins.annotated($0, with: effective)
            }
            if !differences.isEmpty {
                files.append(
                    FileDrift(path: EffectiveWatch.effectivePath, status: .changed, differences: differences))
            }
        }
        if let reference, let liveRoot {
            let differences = diff.differences(from: reference, to: liveRoot)
                .filter { $0.kind != .added && !Self.isSameAfterConversion($0) }
                .map { Self.reportedByTheProcess($0) }
            if !differences.isEmpty {
                files.append(
                    FileDrift(path: EffectiveWatch.livePath, status: .changed, differences: differences))
            }
        }
        files.sort { $0.path < $1.path }
        var pending: DriftReport?
        if let liveRoot, let effectiveRoot, let effective = observation.effective {
            let differences = diff.differences(from: liveRoot, to: effectiveRoot)
                .filter { $0.kind != .removed && !Self.isSameAfterConversion($0) }
                .map { ReportOrigins.annotated($0, with: effective) }
            if !differences.isEmpty {
                pending = DriftReport(
                    reference: EffectiveWatch.livePath + " (what runs)",
                    current: EffectiveWatch.effectivePath + " (what the next start runs)",
                    files: [
                        FileDrift(
                            path: EffectiveWatch.effectivePath, status: .changed, differences: differences)
                    ])
            }
        }
        return (DriftReport(reference: report.reference, current: report.current, files: files), pending)
    }

    /// A type change that config-rs's conversion undoes (`"2"` → `2`, `1` → `1.0`, `"yes"` → `true`).
    static func isSameAfterConversion(_ difference: Difference) -> Bool {
        guard difference.kind == .typeChanged, let old = difference.oldValue, let new = difference.newValue
        else {
            return false
        }
        func converts(_ from: TOMLValue, to target: TOMLValue) -> Bool {
            switch target {
            case .integer(let number): return ConfigRsConversion.int(from) == number
            case .float(let number): return ConfigRsConversion.float(from) == number
            case .boolean(let flag): return ConfigRsConversion.bool(from) == flag
            case .string(let text): return ConfigRsConversion.string(from) == text
            default: return false
            }
        }
        return converts(old, to: new) || converts(new, to: old)
    }

    /// A difference the running process reports: it has no line in any file, and its origin
    /// says where it came from. Its severity is the table's, as for any other difference.
    static func reportedByTheProcess(_ difference: Difference) -> Difference {
        var result = Difference(
            kind: difference.kind, path: difference.path, oldValue: difference.oldValue,
            newValue: difference.newValue, oldLocation: difference.oldLocation, newLocation: nil,
            severity: difference.severity)
        result.origin = "reported by the running kms-server"
        return result
    }
}
