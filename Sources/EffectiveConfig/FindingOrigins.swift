import DriftCore
import KMSValidation

/// Points `validate`'s findings on an effective configuration back at where each value came
/// from: the layer file and line, or the environment variable that set it.
package enum FindingOrigins {
    /// `validation` of `configuration.configFile(…)`, with each finding moved to its origin.
    package static func remap(
        _ validation: FileValidation, to configuration: EffectiveConfiguration, fallbackFile: String
    )
        -> FileValidation
    {
        let findings = validation.findings.map { finding -> Finding in
            var path = finding.path
            var origin = configuration.origin(at: path)
            while origin == nil, !path.isRoot {
                path = KeyPath(Array(path.segments.dropLast()))
                origin = configuration.origin(at: path)
            }
            switch origin {
            case .file(let file, let line)?:
                return Finding(
                    finding.level, path: finding.path, file: file, location: .init(line: line, column: 1),
                    message: finding.message, fix: finding.fix, stage: finding.stage, rule: finding.rule)
            case .environment(let name)?:
                return Finding(
                    finding.level, path: finding.path, file: fallbackFile, location: .start,
                    message: finding.message + " (set by env `\(name)`)", fix: finding.fix,
                    stage: finding.stage, rule: finding.rule)
            case .live(let source)?:
                return Finding(
                    finding.level, path: finding.path, file: source, location: .start,
                    message: finding.message,
                    fix: finding.fix, stage: finding.stage, rule: finding.rule)
            case nil:
                return Finding(
                    finding.level, path: finding.path, file: fallbackFile, location: .start,
                    message: finding.message, fix: finding.fix, stage: finding.stage, rule: finding.rule)
            }
        }
        return FileValidation(
            file: fallbackFile, kind: validation.kind, findings: findings.sortedByPosition())
    }
}
