import DriftCore
import TOML

/// Secrets written in the config file itself: a private key PEM, a password in a URL, an AWS
/// access key id, a non-empty value under a key that names a secret. kms-server reads them
/// happily; the finding is that the file (and so the Git repository holding it) carries a secret.
/// The value is never shown. Under the staging or production policy it is an error (what a
/// `grep` secret scan of `config/**` was for), elsewhere a warning.
struct SecretRules {
    let file: String
    let environment: DeploymentEnvironment?

    func findings(in root: TOMLTable) -> [Finding] {
        var findings: [Finding] = []
        walk(root, path: .root, into: &findings)
        return findings
    }

    private func walk(_ table: TOMLTable, path: KeyPath, into findings: inout [Finding]) {
        for entry in table.entries {
            visit(
                entry.value, path: path.appending(key: entry.key), location: entry.valueLocation,
                into: &findings)
        }
    }

    private func visit(
        _ value: TOMLValue, path: KeyPath, location: SourceLocation, into findings: inout [Finding]
    ) {
        switch value {
        case .table(let table):
            walk(table, path: path, into: &findings)
        case .array(let array):
            for position in 0..<array.count {
                visit(
                    array[position], path: path.appending(.position(position)),
                    location: array.locations[position],
                    into: &findings)
            }
        case .string(let text):
            guard let what = Self.secret(text, at: path) else { return }
            let level: Finding.Level =
                environment == .production || environment == .staging ? .error : .warning
            findings.append(
                Finding(
                    level, path: path, file: file, location: location,
                    message:
                        "\(what) is written in the config file: whoever reads the file or its repository has it",
                    fix:
                        "keep secrets out of the file: a key in a file of mode 600 (`key.path`), credentials "
                        + "from the environment or the cloud's role",
                    rule: "secret-in-config"))
        default:
            return
        }
    }

    /// What kind of secret `text` is, or nil. A certificate PEM is public: not a secret.
    static func secret(_ text: String, at path: KeyPath) -> String? {
        guard !text.isEmpty else { return nil }
        if text.contains("PRIVATE KEY-----") { return "a private key" }
        if text.contains("-----BEGIN ") { return nil }
        if SecretNames.isSecretValue(text) { return "an AWS access key id" }
        // What every kms-drift output would fingerprint: a secret-named key, a URL password.
        guard SecretPolicy().redactedText(of: .string(text), at: path) != nil else { return nil }
        return text.contains("://") && text.contains("@") ? "a password in a URL" : "a secret value"
    }
}
