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
/// rules, the start-up rules and (with an environment) the environment policy on kms-server
/// configs. Errors are what kms-server refuses (each names its stage), warnings what it accepts
/// but gets wrong; `strict` turns warnings into errors for CI gates.
public struct KMSConfigValidator: Sendable {
    public let environment: DeploymentEnvironment?
    /// `--strict`: every warning is reported as an error.
    public let strict: Bool

    public init(environment: DeploymentEnvironment? = nil, strict: Bool = false) {
        self.environment = environment
        self.strict = strict
    }

    /// The exit status of `validate` for these results: 1 when any file has an error, else 0.
    /// (2, for a file that cannot be read or parsed, is decided where the file is read.)
    public static func exitStatus(_ results: [FileValidation]) -> Int32 {
        results.contains { $0.findings.errorCount > 0 } ? 1 : 0
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
        findings += StartUpRules(file: config.path).findings(in: config.root)
        if let environment {
            findings += EnvironmentPolicy(file: config.path, environment: environment).findings(
                in: config.root)
        }
        if strict { findings = findings.map { $0.promotedToError() } }
        return FileValidation(file: config.path, kind: kind, findings: findings.sortedByPosition())
    }

    /// Reads, parses and validates a file; unreadable or invalid TOML is an error (exit 2).
    public func validateFile(_ path: String) throws(DriftCoreError) -> FileValidation {
        validate(try ConfigFile.load(path))
    }
}
