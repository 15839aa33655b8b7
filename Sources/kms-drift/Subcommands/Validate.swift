import ArgumentParser
import DriftCore
import DriftOperations
import KMSValidation

extension DeploymentEnvironment: ExpressibleByArgument {}

extension KMSDrift {
    /// `kms-drift validate FILE...`: is this kms-server configuration right?
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract:
                "Check kms-server configs against the real schema, the threshold rules and an environment.",
            discussion: """
                An error is what kms-server refuses, and says where: "refused when parsed" (config-rs and \
                serde: unknown or missing keys, types after config-rs's conversions, integer widths, enum \
                values, URLs, hex), "refused by validation" (the #[validate] attributes that run, 3t+1 \
                peers, party ids), "fails at start-up: <what>" (addresses, ports, [aws], storage \
                prefixes, TLS), "every handshake with party N fails" (a certificate out of its validity) \
                or "the server starts in degraded mode" (duplicate party ids). A warning is something \
                kms-server accepts but gets wrong, with what will happen. --env adds the environment's \
                policy; --strict makes warnings errors.

                With [threshold.tls], the certificates and key the config names are read as kms-server \
                reads them at start-up (relative paths from --workdir, else the current directory; \
                absolute ones below --root): a missing file, a PEM that does not parse, a subject \
                kms-server refuses (DNS SANs, CN, issuer CN, mpc_identity), a key that does not match \
                the certificate fail start-up; an expired or not yet valid certificate fails every \
                handshake with that party; one expiring within --expiry-warning-days (30) and a key \
                readable by group or others are warnings. --no-certificates judges the file alone.

                Configs of kms-core-client, kms-gen-keys and kms-health-check are recognised and skipped \
                with a note. --format github prints GitHub Actions annotations, --format sarif a SARIF \
                2.1.0 log. Exit status: 0 no errors (warnings allowed unless --strict), 1 errors, \
                2 unreadable or invalid TOML.
                """)

        @Argument(
            help:
                "kms-server config files, or directories of them (their *.toml files); none with --pid / --config-file.",
            completion: .file())
        var files: [String] = []

        @OptionGroup(title: "What kms-server runs") var sources: SourceOptions

        @Option(name: .long, help: "Apply this environment's policy: development, staging, production.")
        var env: DeploymentEnvironment?

        @Option(
            name: .long,
            help:
                "Output format: text for people, json for machines, github (workflow commands), sarif (2.1.0)."
        )
        var format: VerdictFormat = .text

        @OptionGroup(title: "Certificates") var certificates: CertificateOptions

        @OptionGroup var limit: InputLimitOptions

        @Flag(name: .long, help: "Report warnings as errors (exit 1 on any), for CI gates.")
        var strict = false

        func validate() throws {
            if files.isEmpty && sources.configFile == nil && sources.pid == nil {
                throw ValidationError("give a kms-server config file, --config-file FILE or --pid PID")
            }
        }

        func run() throws {
            var validation = ConfigValidation(
                validator: KMSConfigValidator(
                    environment: env, strict: strict,
                    certificates: certificates.files(workingDirectory: sources.workdir)),
                files: files)
            validation.maximumFileSize = limit.maximumSize.bytes
            if !(sources.isPlainFile && !files.isEmpty) {
                // What the party runs: each file with its layers and environment; findings point at origins.
                validation.effective = sources.sources(file: nil, searchesLayersByDefault: false)
            }
            let result = try validation.run(note: Diagnostics.note)
            let renderer = ValidationReportRenderer()
            switch format {
            case .text: Terminal.writeOutput(renderer.text(result.results))
            case .json: Terminal.writeOutput(renderer.json(result.results))
            case .github, .sarif:
                Terminal.writeOutput(format.render(ValidationAnnotations.annotations(result.results)))
            }
            for failure in result.failures { Diagnostics.report(CommandLineError(failure)) }
            try Diagnostics.exit(with: result.exitStatus)
        }
    }
}
