import FileSystem
import TOML

/// The result of validating one file.
public struct FileValidation: Sendable {
    public let file: String
    public let kind: ConfigKind
    /// Sorted by position in the file.
    public let findings: [Finding]

    public init(file: String, kind: ConfigKind, findings: [Finding]) {
        self.file = file
        self.kind = kind
        self.findings = findings
    }
}

/// `kms-drift validate`: recognises the kind of file, then runs the schema, the threshold
/// rules and (with an environment) the environment policy on kms-server configs.
public struct KMSConfigValidator: Sendable {
    public let environment: DeploymentEnvironment?

    public init(environment: DeploymentEnvironment? = nil) {
        self.environment = environment
    }

    /// Validates a parsed file. Files of other tools get one note and no schema findings.
    public func validate(_ config: ConfigFile) -> FileValidation {
        let kind = ConfigKind.recognise(config.root)
        guard kind == .kmsServer else {
            let note = Finding(
                .note, path: .root, file: config.path, location: .start,
                message: "not a kms-server config (looks like a \(kind.rawValue) config); not validated",
                fix: "validate kms-server configs only; this file belongs to \(kind.rawValue)")
            return FileValidation(file: config.path, kind: kind, findings: [note])
        }
        var findings = SchemaValidator(file: config.path).findings(in: config.root)
        findings += ThresholdRules(file: config.path).findings(in: config.root)
        if let environment {
            findings += EnvironmentPolicy(file: config.path, environment: environment).findings(
                in: config.root)
        }
        return FileValidation(file: config.path, kind: kind, findings: findings.sortedByPosition())
    }

    /// Reads, parses and validates a file; unreadable or invalid TOML is an error (exit 2).
    public func validateFile(_ path: String, maximumSize: Int64 = InputFile.defaultMaximumSize)
        throws(DriftCoreError) -> FileValidation
    {
        validate(try ConfigFile.load(path, maximumSize: maximumSize))
    }
}
