/// `[effective]` in kms-drift's configuration: how to build what kms-server really runs
/// (its layers, environment and process) and where to fetch what it reports it runs.
///
/// With it, each cycle records `@effective/kms-server.toml` (and, with `url`, `@live/config.json`)
/// in the snapshot and compares them with the reference's `reference_file`; shadow layers
/// (`/etc/config/kms_core.toml`, `config/*` outside the watched directory) are recorded under
/// `@layers/`, so one appearing is a critical drift.
package struct EffectiveSettings: Sendable, Equatable {
    /// kms-server's `--config-file`; default: from the process's command line, else kms-server's default.
    package var configFile: String?
    /// kms-server's working directory; default: the process's, else the watched directory.
    package var workingDirectory: String?
    package var runMode: String?
    /// docker-compose env files kms-server runs with, later ones winning.
    package var envFiles: [String] = []
    /// A file holding kms-server's pid (its environment, cwd and command line are read from /proc).
    package var pidFile: String?
    /// kms-server's process name (`comm`), when there is no pid file.
    package var processName: String?
    /// kms-server's `GET /config` (e.g. `http://127.0.0.1:9464/config`).
    package var url: String?
    /// `timeout_seconds`: how long the fetch of `url` may take.
    package var timeout: Duration = .seconds(5)
    package var allowRemote = false
    /// `/etc/config` except in tests.
    package var etcConfigDirectory = "/etc/config"
    /// The file of the reference the effective and live configurations are compared with.
    package var referenceFile = "kms-server.toml"

    package init() {}
}
