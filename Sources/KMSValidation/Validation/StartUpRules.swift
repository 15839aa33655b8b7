import DriftCore
import TOML

/// What happens after a config parsed and validated, read from kms-server's start-up
/// (`main_exec` in core/service/src/bin/kms-server.rs): AWS clients, storage, listeners,
/// metrics and TLS. A failure there is an error naming what fails; something kms-server
/// accepts but gets wrong is a warning saying what will happen. Values are taken as config-rs
/// converts them; values of the wrong type are left to the schema validator.
package struct StartUpRules: Sendable {
    package let file: String

    package init(file: String) {
        self.file = file
    }

    package func findings(in root: TOMLTable) -> [Finding] {
        var findings: [Finding] = []
        checkAWS(root, into: &findings)
        checkPublicKeychain(root, into: &findings)
        checkPrefixes(root, into: &findings)
        checkListeners(root, into: &findings)
        checkMetricsAddress(root, into: &findings)
        if let threshold = root["threshold"]?.tableValue {
            TLSRules(file: file).check(threshold, into: &findings)
        }
        return findings
    }

    private func failure(_ path: KeyPath, _ location: SourceLocation, _ what: String, fix: String) -> Finding
    {
        .refused(.startUp(what), path: path, file: file, location: location, "", fix: fix)
    }

    private func warning(_ path: KeyPath, _ location: SourceLocation, _ message: String, fix: String)
        -> Finding
    {
        Finding(.warning, path: path, file: file, location: location, message: message, fix: fix)
    }

    /// kms-server.rs:389-448: an S3 client is built when any vault stores on S3, an AWS KMS
    /// client when the private or backup vault has an `aws_kms` keychain; both `expect` the
    /// `[aws]` section.
    private func checkAWS(_ root: TOMLTable, into findings: inout [Finding]) {
        guard root["aws"] == nil else { return }
        for vault in KMSSchema.vaultNames {
            guard let table = root[vault]?.tableValue else { continue }
            // A capitalised `S3` is refused when parsed already; it is meant as S3 all the same.
            for entry in table["storage"]?.tableValue?.entries ?? [] where entry.key.lowercased() == "s3" {
                findings.append(
                    failure(
                        KeyPath(keys: "aws", "region"), entry.keyLocation,
                        "building the S3 client for [\(vault).storage.\(entry.key)] panics: \"AWS configuration must be provided\" (there is no [aws])",
                        fix: "add [aws] with `region = \"…\"`"))
            }
            guard vault != "public_vault" else { continue }
            for entry in table["keychain"]?.tableValue?.entries ?? [] where entry.key == "aws_kms" {
                findings.append(
                    failure(
                        KeyPath(keys: "aws", "region"), entry.keyLocation,
                        "building the AWS KMS client for [\(vault).keychain.aws_kms] panics: \"AWS configuration must be provided\" (there is no [aws])",
                        fix: "add [aws] with `region = \"…\"`"))
            }
        }
    }

    /// kms-server.rs:469-476: the public vault is built with `keychain: None`; only the private
    /// and backup keychains are ever made (kms-server.rs:502-568).
    private func checkPublicKeychain(_ root: TOMLTable, into findings: inout [Finding]) {
        guard let entry = root["public_vault"]?.tableValue?.entry(forKey: "keychain"),
            entry.value.tableValue != nil
        else { return }
        findings.append(
            warning(
                KeyPath(keys: "public_vault", "keychain"), entry.keyLocation,
                "kms-server ignores the public vault's keychain: it builds the public vault without one and never "
                    + "creates an AWS KMS client for it, so public material is stored as written",
                fix: "remove [public_vault.keychain]; keychains apply to the private and backup vaults"))
    }

    /// `storage_prefix_safety` (vault/mod.rs:552-591), called when the file or S3 storage is made
    /// at start-up: a prefix must not start with another storage type's name.
    private func checkPrefixes(_ root: TOMLTable, into findings: inout [Finding]) {
        let own = ["public_vault": "PUB", "private_vault": "PRIV", "backup_vault": "BACKUP"]
        let types = ["PUB", "PRIV", "BACKUP", "CLIENT"]
        for vault in KMSSchema.vaultNames {
            guard let storage = root[vault]?.tableValue?["storage"]?.tableValue else { continue }
            for variant in storage.entries {
                guard let table = variant.value.tableValue, let entry = table.entry(forKey: "prefix"),
                    let prefix = table.convertedString("prefix"),
                    let clash = types.first(where: { $0 != own[vault] && prefix.hasPrefix($0) })
                else { continue }
                findings.append(
                    failure(
                        KeyPath(keys: vault, "storage", variant.key, "prefix"), entry.valueLocation,
                        "the \(vault) storage refuses prefix \"\(prefix)\", which starts with \(clash), another vault type's name",
                        fix:
                            "start the prefix with \(own[vault] ?? "the vault's own type") (e.g. \"\(own[vault] ?? "")-p1\")"
                    ))
            }
        }
    }

    /// kms-server.rs:575-599 and 87-109: `"<address>:<port>".to_socket_addrs()` must give an
    /// address (else a panic), then the service listener binds, then the MPC listener.
    private func checkListeners(_ root: TOMLTable, into findings: inout [Finding]) {
        let service = root["service"]?.tableValue
        let threshold = root["threshold"]?.tableValue
        let serviceHost = service.flatMap { listenHost($0, KeyPath(keys: "service"), "service", &findings) }
        let mpcHost = threshold.flatMap { listenHost($0, KeyPath(keys: "threshold"), "MPC", &findings) }
        guard let service, let threshold, let serviceHost, let mpcHost,
            let servicePort = service.unsigned("listen_port", as: .u16),
            let mpcPort = threshold.unsigned("listen_port", as: .u16), servicePort == mpcPort,
            let entry = threshold.entry(forKey: "listen_port")
        else { return }
        let serviceAddress = service.convertedString("listen_address") ?? ""
        let mpcAddress = threshold.convertedString("listen_address") ?? ""
        let path = KeyPath(keys: "threshold", "listen_port")
        switch HostSyntax.overlap(serviceHost, mpcHost) {
        case true?:
            findings.append(
                failure(
                    path, entry.valueLocation,
                    "the MPC listener cannot bind \(mpcAddress):\(mpcPort): the service listener holds \(serviceAddress):\(servicePort) (\"Could not bind\" panic)",
                    fix: "give the MPC listener and the service endpoint different ports"))
        case nil:
            findings.append(
                warning(
                    path, entry.valueLocation,
                    "threshold.listen_port equals service.listen_port (\(mpcPort)); if \"\(mpcAddress)\" and \"\(serviceAddress)\" "
                        + "resolve to the same or a wildcard address, the MPC listener fails to bind at start-up",
                    fix: "give the MPC listener and the service endpoint different ports"))
        case false?:
            break
        }
    }

    private func listenHost(
        _ table: TOMLTable, _ section: KeyPath, _ listener: String, _ findings: inout [Finding]
    ) -> HostSyntax.ListenHost? {
        guard let entry = table.entry(forKey: "listen_address"),
            let address = table.convertedString("listen_address"),
            !address.isEmpty
        else { return nil }
        switch HostSyntax.listenHost(address) {
        case .success(let host):
            return host
        case .failure(let problem):
            let name = listener == "service" ? "Wrong service IP Address" : "Wrong MPC IP Address"
            findings.append(
                failure(
                    section.appending(key: "listen_address"), entry.valueLocation,
                    "kms-server panics (\"\(name)\"): \"\(address)\" does not resolve as a socket address; \(problem.reason)",
                    fix:
                        "write an IP address or host name, such as \"0.0.0.0\", and the port in `listen_port`"
                ))
            return nil
        }
    }

    /// observability telemetry.rs:124-128: `init_metrics` parses the address as a `SocketAddr`
    /// (an IP literal and a port, no host name) and start-up fails when it cannot.
    private func checkMetricsAddress(_ root: TOMLTable, into findings: inout [Finding]) {
        guard let telemetry = root["telemetry"]?.tableValue,
            let entry = telemetry.entry(forKey: "metrics_bind_address"),
            let address = telemetry.convertedString("metrics_bind_address"), !address.isEmpty,
            !HostSyntax.isSocketAddress(address)
        else { return }
        findings.append(
            failure(
                KeyPath(keys: "telemetry", "metrics_bind_address"), entry.valueLocation,
                "\"Failed to parse metrics bind address\": \"\(address)\" is not an IP address and port (unless RUN_MODE=integration, which turns metrics off)",
                fix: "write an IP literal with a port, such as \"0.0.0.0:9646\" or \"[::]:9646\""))
    }
}
