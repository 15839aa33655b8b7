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
