import ArgumentParser
import DriftCore
import DriftOperations
import KMSValidation

extension KMSDrift {
    /// `kms-drift check REF CUR`: what differs in meaning between two configs, like `diff`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Compare two TOML files, or two directories, by meaning.",
            discussion: """
                Comments, key order, quoting, number spelling, dotted keys and inline tables are \
                not differences; types are. Peers are matched by party_id. In directories, TOML \
                files are compared by meaning, other files by content; symlinks are not followed. \
                Only regular files are read (a symlink given as an argument is followed); FIFOs, \
                devices and files above --max-size are an error. With --env-file, --workdir, --run-mode \
                or --pid, CUR (a file, possibly a template) is read as what kms-server runs from it, and \
                each difference names its origin (a layer file:line or the environment variable); the \
                certificates and key it names are read as kms-server reads them (see validate: --root, \
                --expiry-warning-days, --no-certificates).

                --format github prints GitHub Actions annotations, --format sarif a SARIF 2.1.0 log. \
                --fail-on critical|warning|info exits 1 only for a difference (or a certificate finding: \
                errors count as critical) at least that severe.

                Exit status: 0 same meaning (or nothing at --fail-on's level), 1 differences, 2 error.
                """)

        @Argument(help: "The reference: a TOML file or a directory.", completion: .file())
        var reference: String

        @Argument(help: "The current state: a TOML file or a directory.", completion: .file())
        var current: String

        @OptionGroup var report: ReportOptions
        @OptionGroup var limit: InputLimitOptions

        @Option(name: .customLong("toml"), help: "TOML version to read the files as.")
        var tomlVersion: TOMLVersionChoice = .v1_1

        @OptionGroup(title: "What kms-server runs (applied to CUR)") var sources: SourceOptions

        @OptionGroup(title: "Certificates (with --env-file, --workdir, --run-mode or --pid)")
        var certificates: CertificateOptions

        @Option(
            name: .customLong("fail-on"),
            help:
                "Exit 1 only for a difference at least this severe: critical, warning or info (default: any)."
        )
        var failOn: Severity?

        func run() throws {
            var comparison = FileComparison(reference: reference, current: current)
            comparison.ignoring = report.ignore
            comparison.tomlVersion = tomlVersion.version
            comparison.failOn = failOn
            if sources.isPlainFile {
                ProcessLifetime.growHeapInLargeSteps()
                comparison.maximumFileSize = limit.maximumSize.bytes
            } else {
                comparison.effective = sources.sources(file: current, searchesLayersByDefault: false)
                comparison.certificates = certificates.files(workingDirectory: sources.workdir)
            }
            let result = try comparison.run(key: { try report.fingerprintKey() }, note: Diagnostics.note)
            for file in result.parsedFiles { ProcessLifetime.keepUntilExit(file.root) }
            switch report.format {
            case .github, .sarif:
                let formatter = ValueFormatter(
                    secrets: SecretPolicy(showSecrets: report.showSecrets, key: result.key))
                Terminal.writeOutput(
                    report.format.render(
                        DriftAnnotations(formatter: formatter).annotations(result.report)
                            + result.findings.map(ValidationAnnotations.annotation)))
            case .text, .json:
                Terminal.writeOutput(report.render(result.report, key: result.key))
                for finding in result.findings { Terminal.writeError(ValidationReportRenderer.line(finding)) }
            }
            try Diagnostics.exit(with: result.exitStatus)
        }
    }
}
