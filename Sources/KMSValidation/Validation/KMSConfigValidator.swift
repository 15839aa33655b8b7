import DriftCore
import FileSystem
import TOML

/// The result of validating one file.
package struct FileValidation: Sendable {
    package let file: String
    package let kind: ConfigKind
    /// Sorted by position in the file.
    package let findings: [Finding]
    /// Set when the file could not be read or is not valid TOML (file:line:column: reason):
    /// nothing else was checked, and the run exits 2.
    package let failure: String?

    package init(file: String, kind: ConfigKind, findings: [Finding], failure: String? = nil) {
        self.file = file
        self.kind = kind
        self.findings = findings
        self.failure = failure
    }
}

/// `kms-drift validate`: recognises the kind of file, then runs the schema, the threshold
/// rules, the start-up rules and (with an environment) the environment policy on kms-server
/// configs. Errors are what kms-server refuses (each names its stage), warnings what it accepts
/// but gets wrong; `strict` turns warnings into errors for CI gates.
package struct KMSConfigValidator: Sendable {
    package let environment: DeploymentEnvironment?
    /// `--strict`: every warning is reported as an error.
    package let strict: Bool
    /// Where the certificates and keys the config names are read from; nil: not read (only the
    /// config's own text is judged).
    package let certificates: CertificateFiles?

    package init(
        environment: DeploymentEnvironment? = nil, strict: Bool = false, certificates: CertificateFiles? = nil
    ) {
        self.environment = environment
        self.strict = strict
        self.certificates = certificates
    }

    /// The exit status of `validate` for these results: 1 when any file has an error, else 0.
    /// (2, for a file that cannot be read or parsed, is decided where the file is read.)
    /// 2 when a file could not be read or parsed, 1 when a file has errors, else 0.
    package static func exitStatus(_ results: [FileValidation]) -> Int32 {
        if results.contains(where: { $0.failure != nil }) { return 2 }
        return results.contains { $0.findings.errorCount > 0 } ? 1 : 0
    }

    /// Validates a parsed file. Files of other tools get one note and no schema findings.
    package func validate(_ config: ConfigFile) -> FileValidation {
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
        if let certificates {
            findings += CertificateChecker(file: config.path, files: certificates).check(config.root).findings
        }
        findings += SecretRules(file: config.path, environment: environment).findings(in: config.root)
        if let environment {
            findings += EnvironmentPolicy(file: config.path, environment: environment).findings(
                in: config.root)
        }
        if strict { findings = findings.map { $0.promotedToError() } }
        return FileValidation(file: config.path, kind: kind, findings: findings.sortedByPosition())
    }

    /// Reads, parses and validates a file; unreadable or invalid TOML is an error (exit 2).
    package func validateFile(_ path: String, maximumSize: Int64 = InputFile.defaultMaximumSize)
        throws(DriftCoreError) -> FileValidation
    {
        validate(try ConfigFile.load(path, maximumSize: maximumSize))
    }

    /// Validates files and directories as given on a command line: a directory stands for the
    /// `*.toml` files under it (a config directory of mixed kms-server, client and tool configs
    /// is validated as a whole), in path order. A file that cannot be read or parsed is a result
    /// with its `failure`, so every output format names it.
    package func validatePaths(_ paths: [String], maximumSize: Int64 = InputFile.defaultMaximumSize)
        -> [FileValidation]
    {
        var results: [FileValidation] = []
        for path in paths {
            let files: [String]
            do {
                files = try Self.expand(path)
            } catch {
                results.append(
                    FileValidation(file: path, kind: .kmsServer, findings: [], failure: error.description))
                continue
            }
            for file in files {
                do {
                    results.append(try validateFile(file, maximumSize: maximumSize))
                } catch {
                    results.append(
                        FileValidation(file: file, kind: .kmsServer, findings: [], failure: error.description)
                    )
                }
            }
        }
        return results
    }

    /// `path` itself, or the `*.toml` files under a directory (symlinks not followed).
    static func expand(_ path: String) throws(DriftCoreError) -> [String] {
        guard try PathKind.of(path) == .directory else { return [path] }
        let tree = DirectoryTree(root: path)
        return try tree.entries().filter { $0.value.kind == .file && $0.key.hasSuffix(".toml") }
            .keys.sorted().map(tree.displayPath(of:))
    }
}
