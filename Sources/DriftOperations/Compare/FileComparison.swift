import DriftCore
import EffectiveConfig
import FileSystem
import KMSValidation
import TOML

/// `check REF CUR`: two TOML files or two directories compared by meaning, like `diff`; or, when
/// `effective` is given, REF against what kms-server runs from CUR (its layers and environment),
/// each difference naming its origin, with the certificates CUR names read as kms-server reads them.
package struct FileComparison: Sendable {
    package let reference: String
    package let current: String
    /// `--ignore`: key paths whose differences are dropped.
    package var ignoring: [KeyPathPattern] = []
    package var tomlVersion: TOMLParser.Version = .v1_1
    /// `--max-size`: larger files are an error (plain comparison only).
    package var maximumFileSize: Int64 = InputFile.defaultMaximumSize
    /// What kms-server runs from CUR; `nil` compares the files as they are.
    package var effective: EffectiveSources? = nil
    /// The certificate files CUR names, checked with the effective configuration; `nil`: not checked.
    package var certificates: CertificateFiles? = nil
    /// `--fail-on`: exit 1 only for a difference (or a certificate finding) at least this severe.
    package var failOn: Severity? = nil

    package init(reference: String, current: String) {
        self.reference = reference
        self.current = current
    }

    /// What `check` found.
    package struct Result: Sendable {
        package let report: DriftReport
        /// Certificate findings, their origins remapped to the layer or variable that named the file.
        package let findings: [Finding]
        /// The files a plain comparison parsed (the caller may keep them to exit without freeing them).
        package let parsedFiles: [ConfigFile]
        /// The key secrets are fingerprinted with, in the comparison and in its rendering.
        package let key: FingerprintKey
        package let failOn: Severity?

        /// 0 same meaning (or nothing at `failOn`'s level), 1 differences.
        package var exitStatus: ExitStatus {
            .findings(if: report.fails(at: failOn) || findings.fails(at: failOn))
        }
    }

    /// Compares. `key` is asked for the secrets' fingerprint key when it is first needed; `note`
    /// gets the effective configuration's notes (a layer it read) as soon as it is built.
    package func run(key: () throws -> FingerprintKey, note: (String) -> Void) throws -> Result {
        guard let effective else {
            let contentKey = try key()
            let comparison = TreeComparison(
                diff: ConfigDiff(ignoring: ignoring), tomlVersion: tomlVersion,
                maximumFileSize: maximumFileSize, contentKey: contentKey)
            let outcome = try comparison.compare(paths: reference, current)
            return Result(
                report: outcome.report, findings: [], parsedFiles: outcome.parsedFiles, key: contentKey,
                failOn: failOn)
        }
        let configuration = try effective.builder().build()
        for text in configuration.notes { note(text) }
        let comparison = TreeComparison(diff: ConfigDiff(ignoring: ignoring), tomlVersion: tomlVersion)
        let result = comparison.compare(
            try ConfigFile.load(reference, version: tomlVersion), try configuration.configFile(named: current)
        )
        let annotated = ReportOrigins.annotate(result, file: "", with: configuration)
        let reportKey = try key()
        var findings: [Finding] = []
        if let certificates {
            let effectiveFile = try configuration.configFile(named: current)
            let checked = CertificateChecker(file: current, files: certificates).check(effectiveFile.root)
                .findings
            findings =
                FindingOrigins.remap(
                    FileValidation(file: current, kind: .kmsServer, findings: checked), to: configuration,
                    fallbackFile: current
                ).findings
        }
        return Result(report: annotated, findings: findings, parsedFiles: [], key: reportKey, failOn: failOn)
    }
}
