/// `[effective]` in kms-drift's configuration: how to build what kms-server really runs
/// (its layers, environment and process) and where to fetch what it reports it runs.
///
/// With it, each cycle records `@effective/kms-server.toml` (and, with `url`, `@live/config.json`)
/// in the snapshot and compares them with the reference's `reference_file`; shadow layers
/// (`/etc/config/kms_core.toml`, `config/*` outside the watched directory) are recorded under
/// `@layers/`, so one appearing is a critical drift.
public struct EffectiveSettings: Sendable, Equatable {
    /// kms-server's `--config-file`; default: from the process's command line, else kms-server's default.
    public var configFile: String?
    /// kms-server's working directory; default: the process's, else the watched directory.
    public var workingDirectory: String?
    public var runMode: String?
    /// docker-compose env files kms-server runs with, later ones winning.
    public var envFiles: [String] = []
    /// A file holding kms-server's pid (its environment, cwd and command line are read from /proc).
    public var pidFile: String?
    /// kms-server's process name (`comm`), when there is no pid file.
    public var processName: String?
    /// kms-server's `GET /config` (e.g. `http://127.0.0.1:9464/config`).
    public var url: String?
    public var timeoutSeconds: Int = 5
    public var allowRemote = false
    /// `/etc/config` except in tests.
    public var etcConfigDirectory = "/etc/config"
    /// The file of the reference the effective and live configurations are compared with.
    public var referenceFile = "kms-server.toml"

    public init() {}
}
