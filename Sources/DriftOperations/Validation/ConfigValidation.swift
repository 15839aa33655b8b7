import DriftCore
import EffectiveConfig
import FileSystem
import KMSValidation

/// `validate FILE…`: kms-server configs against the real schema, the threshold and start-up rules,
/// an environment's policy and the certificates they name; as files, or (with `effective`) as what
/// kms-server runs from each, every finding pointing at its origin.
package struct ConfigValidation: Sendable {
    package let validator: KMSConfigValidator
    /// The files (or directories of them) given; none with `--pid` / `--config-file`.
    package let files: [String]
    /// What kms-server runs, applied to each file; `nil` validates the files as they are.
    package var effective: EffectiveSources? = nil
    /// `--max-size` for the files read as they are.
    package var maximumFileSize: Int64 = InputFile.defaultMaximumSize

    package init(validator: KMSConfigValidator, files: [String]) {
        self.validator = validator
        self.files = files
    }

    /// Every file's findings, or why it could not be read.
    package struct Result: Sendable {
        package let results: [FileValidation]

        /// 2 when a file could not be read or parsed, 1 when a file has errors, else 0.
        package var exitStatus: ExitStatus {
            ExitStatus(rawValue: KMSConfigValidator.exitStatus(results)) ?? .failure
        }

        /// The files that could not be read or parsed, in operator words (printed as errors).
        package var failures: [String] { results.compactMap(\.failure) }
    }

    package func run(note: (String) -> Void) throws -> Result {
        guard let effective else {
            return Result(results: validator.validatePaths(files, maximumSize: maximumFileSize))
        }
        var results: [FileValidation] = []
        for file in files.isEmpty ? [nil] : files.map(Optional.some) {
            var sources = effective
            if let file { sources.configFile = file }
            let configuration = try EffectiveLoading.build(sources, note: note)
            let name = file ?? effective.configFile ?? "effective configuration"
            let parsed = try configuration.configFile(named: name)
            results.append(
                FindingOrigins.remap(validator.validate(parsed), to: configuration, fallbackFile: name))
        }
        return Result(results: results)
    }
}

/// `consistency FILE…`: the parties' configs compared with each other: what must be equal on all
/// of them, and each party's identity.
package struct PartyConsistency: Sendable {
    package let files: [String]
    /// What kms-server runs, applied to every file; `nil` compares the files as they are.
    package var effective: EffectiveSources? = nil
    package var maximumFileSize: Int64 = InputFile.defaultMaximumSize

    package init(files: [String]) { self.files = files }

    package struct Result: Sendable {
        package let report: ConsistencyReport
        /// 0 consistent, 1 disagreements or identity errors.
        package var exitStatus: ExitStatus { .findings(if: !report.isConsistent) }
    }

    package func run(note: (String) -> Void) throws -> Result {
        var configs: [ConfigFile] = []
        for file in files {
            guard var sources = effective else {
                configs.append(try ConfigFile.load(file, maximumSize: maximumFileSize))
                continue
            }
            sources.configFile = file
            configs.append(try EffectiveLoading.build(sources, note: note).configFile(named: file))
        }
        return Result(report: ConsistencyCheck().check(configs))
    }
}

/// `render TEMPLATE`: the Helm chart's envsubst step, refusing an unset variable, and a result
/// that does not parse or fails validation, before anything is written.
package struct TemplateRender: Sendable {
    package let template: String
    package let sources: EffectiveSources
    /// `--output`: written atomically, mode 0600; `nil` prints it.
    package var output: String? = nil

    package init(template: String, sources: EffectiveSources) {
        self.template = template
        self.sources = sources
    }

    package struct Result: Sendable {
        package let rendering: TemplateRendering
        package let validation: FileValidation
        /// True when the result was written to the output file.
        package let written: Bool

        /// 0 rendered, 1 validation errors (nothing written).
        package var exitStatus: ExitStatus { .findings(if: validation.findings.errorCount > 0) }

        /// The error that ends a run whose result failed validation; `nil` when it passed.
        package func failure(template: String) -> OperationError? {
            exitStatus == .findings
                ? OperationError("\(template) rendered, but not written: fix the errors above") : nil
        }
    }

    package func run() throws -> Result {
        let rendering = try TemplateRendering.render(
            template: template, environment: try sources.environment(process: nil))
        let validation = KMSConfigValidator().validate(rendering.config)
        guard validation.findings.errorCount == 0, let output else {
            return Result(rendering: rendering, validation: validation, written: false)
        }
        try AtomicFile.write(Array(rendering.text.utf8), to: output, mode: 0o600)
        return Result(rendering: rendering, validation: validation, written: true)
    }
}
