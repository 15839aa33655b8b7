import DriftCore
import TOML

/// The deployment environment a config is meant for (`--env`).
package enum DeploymentEnvironment: String, Sendable, CaseIterable {
    case development
    case staging
    case production

    /// Words that name the environment in a service name (`kms-prod-party1`).
    var names: [String] {
        switch self {
        case .development: return ["development", "dev"]
        case .staging: return ["staging", "stage", "stg"]
        case .production: return ["production", "prod", "prd"]
        }
    }
}

/// The operators' guide's per-environment rules, applied to parsed values:
/// production — private keys not on local disk, TLS between parties, no mock enclave, and a
/// tracing service name that says "production"; staging — nothing that names production;
/// development — tracing stays on this host or in the cluster.
package struct EnvironmentPolicy: Sendable {
    package let file: String
    package let environment: DeploymentEnvironment

    package init(file: String, environment: DeploymentEnvironment) {
        self.file = file
        self.environment = environment
    }

    package func findings(in root: TOMLTable) -> [Finding] {
        switch environment {
        case .production: return production(root)
        case .staging: return staging(root)
        case .development: return development(root)
        }
    }

    private func production(_ root: TOMLTable) -> [Finding] {
        var findings: [Finding] = []
        if let storage = root["private_vault"]?.tableValue?.entry(forKey: "storage"),
            let file = storage.value.tableValue?.entries.first(where: { $0.key.lowercased() == "file" })
        {
            findings.append(
                Finding(
                    .error, path: KeyPath(keys: "private_vault", "storage", file.key), file: self.file,
                    location: file.keyLocation,
                    message: "production keeps the private vault (key shares) on local file storage",
                    fix: "use [private_vault.storage.s3] with an [private_vault.keychain.aws_kms] keychain"))
        }
        if let threshold = root["threshold"]?.tableValue, threshold["tls"] == nil {
            findings.append(
                Finding(
                    .error, path: KeyPath(keys: "threshold", "tls"), file: file, location: threshold.location,
                    message: "production runs core-to-core traffic between parties without TLS",
                    fix: "add [threshold.tls.manual] (cert.path, key.path) or [threshold.tls.auto]"))
        }
        // As config-rs reads it: `mock_enclave = "no"` is false too.
        if let mock = root.entry(forKey: "mock_enclave"), ConfigRsConversion.bool(mock.value) != false {
            findings.append(
                Finding(
                    .error, path: KeyPath(keys: "mock_enclave"), file: file, location: mock.keyLocation,
                    message: "production enables `mock_enclave`, which fakes the Nitro enclave's attestation",
                    fix: "remove `mock_enclave` and run in a real enclave"))
        }
        let telemetry = root["telemetry"]?.tableValue
        if let name = telemetry?.entry(forKey: "tracing_service_name"), let text = name.value.stringValue {
            if !Self.words(of: text).contains(where: environment.names.contains) {
                findings.append(
                    Finding(
                        .warning, path: KeyPath(keys: "telemetry", "tracing_service_name"), file: file,
                        location: name.valueLocation,
                        message: "tracing service name \"\(text)\" does not name the production environment",
                        fix: "put \"production\" (or \"prod\") in the name, e.g. \"kms-production-party1\""))
            }
        } else {
            findings.append(
                Finding(
                    .warning, path: KeyPath(keys: "telemetry", "tracing_service_name"), file: file,
                    location: telemetry?.location ?? root.location,
                    message: "no tracing service name: production traces would be labelled \"kms_core\"",
                    fix: "set `tracing_service_name` in [telemetry] to a name with \"production\" in it"))
        }
        return findings
    }

    /// Any string value that names production: a bucket, an endpoint, a service name.
    private func staging(_ root: TOMLTable) -> [Finding] {
        var findings: [Finding] = []
        Self.forEachString(in: root, at: .root) { path, text, location in
            let production = DeploymentEnvironment.production.names
            guard Self.words(of: text).contains(where: production.contains) else { return }
            findings.append(
                Finding(
                    .error, path: path, file: file, location: location,
                    message: "staging config refers to a production resource (\"\(text)\")",
                    fix: "point `\(path.lastKey ?? "it")` at the staging resource"))
        }
        return findings
    }

    private func development(_ root: TOMLTable) -> [Finding] {
        guard let entry = root["telemetry"]?.tableValue?.entry(forKey: "tracing_endpoint"),
            let endpoint = entry.value.stringValue, !Self.isLocal(endpoint)
        else { return [] }
        return [
            Finding(
                .warning, path: KeyPath(keys: "telemetry", "tracing_endpoint"), file: file,
                location: entry.valueLocation,
                message: "development sends traces to an external endpoint (\(endpoint))",
                fix:
                    "trace to localhost, 127.0.0.1 or a cluster-local collector, or remove `tracing_endpoint`"
            )
        ]
    }

    /// True for localhost, loopback, a single-label host (a compose service) or a cluster-local name.
    static func isLocal(_ endpoint: String) -> Bool {
        var rest = Substring(endpoint)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        if let at = rest.firstIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        var host: Substring
        if rest.hasPrefix("[") {
            host = rest.dropFirst().prefix { $0 != "]" }
        } else {
            host = rest.prefix { $0 != ":" && $0 != "/" }
        }
        host = Substring(host.lowercased())
        if host == "localhost" || host == "::1" || host.hasPrefix("127.") { return true }
        if !host.contains(".") { return true }
        return host.hasSuffix(".svc") || host.hasSuffix(".cluster.local") || host.hasSuffix(".local")
            || host.contains(".svc.")
    }

    /// Lower-cased alphanumeric words: "kms-prod_bucket" gives kms, prod, bucket.
    static func words(of text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    static func forEachString(
        in table: TOMLTable, at path: KeyPath, _ body: (KeyPath, String, SourceLocation) -> Void
    ) {
        for entry in table.entries {
            visit(entry.value, at: path.appending(key: entry.key), location: entry.valueLocation, body)
        }
    }

    private static func visit(
        _ value: TOMLValue, at path: KeyPath, location: SourceLocation,
        _ body: (KeyPath, String, SourceLocation) -> Void
    ) {
        switch value {
        case .string(let text): body(path, text, location)
        case .table(let table): forEachString(in: table, at: path, body)
        case .array(let array):
            // Items are named as every report names them: peers by `party_id`, not by position.
            let tables = (0..<array.count).compactMap { array[$0].tableValue }
            let identity =
                tables.count == array.count
                ? ArrayIdentityRules.kms.identityKey(for: path, reference: tables, current: tables) : nil
            for position in 0..<array.count {
                let itemPath: KeyPath
                if let identity, let value = tables[position][identity],
                    let text = ArrayIdentityRules.identityText(of: value)
                {
                    itemPath = path.appending(.identity(key: identity, value: text))
                } else {
                    itemPath = path.appending(.position(position))
                }
                visit(array[position], at: itemPath, location: array.locations[position], body)
            }
        default: break
        }
    }
}
