import ArgumentParser
import DriftCore

extension DeploymentEnvironment: ExpressibleByArgument {}

extension KMSDrift {
    /// `kms-drift validate FILE...`: is this kms-server configuration right?
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check kms-server configs against the real schema, the threshold rules and an environment.",
            discussion: """
                Reports unknown keys (with the guide's wrong names explained), missing required keys,
                types, ranges and enum values, 3t+1 peers, party ids, my_id, port clashes, [aws] for S3,
                TLS for every peer, storage prefixes, and with --env the environment's policy.
                Configs of kms-core-client, kms-gen-keys and kms-health-check are recognised and skipped
                with a note. Exit status: 0 no errors (warnings allowed), 1 errors, 2 unreadable or invalid TOML.
                """)

        @Argument(help: "kms-server config files.")
        var files: [String]

        @Option(name: .long, help: "Apply this environment's policy: development, staging, production.")
        var env: DeploymentEnvironment?

        @Option(name: .long, help: "Output format: text for people, json for machines.")
        var format: ReportFormat = .text

        @OptionGroup var limit: InputLimitOptions

        func run() throws {
            let validator = KMSConfigValidator(environment: env)
            var results: [FileValidation] = []
            var failed = false
            for file in files {
                do {
                    results.append(try validator.validateFile(file, maximumSize: limit.maximumSize.bytes))
                } catch {
                    Diagnostics.report(error)
                    failed = true
                }
            }
            let renderer = ValidationReportRenderer()
            Terminal.writeOutput(format == .json ? renderer.json(results) : renderer.text(results))
            if failed { throw Diagnostics.failure }
            if results.contains(where: { $0.findings.errorCount > 0 }) { throw Diagnostics.findings }
        }
    }
}
