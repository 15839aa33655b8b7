import ArgumentParser
import DriftCore
import DriftOperations
import EffectiveConfig

/// Where a configuration's layers and environment come from: the options `effective` and
/// `render` take, and `check`, `validate`, `consistency` and `fingerprint` share so they judge
/// what a party really runs (`validate --env-file party2.env kms-core-threshold.toml`).
struct SourceOptions: ParsableArguments {
    @Option(
        name: .customLong("config-file"),
        help:
            "The file kms-server is started with (--config-file); default: its own default, config/default_1.toml.",
        completion: .file())
    var configFile: String?

    @Option(
        name: .long, help: "kms-server's working directory, where its config/ layers are searched.",
        completion: .directory)
    var workdir: String?

    @Option(
        name: .customLong("run-mode"),
        help: "RUN_MODE (local, dev, stage, prod, integration): the mode layer.")
    var runMode: String?

    @Option(
        name: .customLong("env-file"),
        help: ArgumentHelp(
            "A docker-compose env file (KEY=VALUE) kms-server runs with (repeatable, later wins).",
            valueName: "file"), completion: .file())
    var envFiles: [String] = []

    @Option(
        name: .long, help: "Read environment, working directory and --config-file from this running process.")
    var pid: Int32?

    @Option(
        name: .customLong("etc-config-dir"),
        help: ArgumentHelp(
            "Where kms-server's /etc/config layer lives (for tests and containers).", visibility: .hidden),
        completion: .directory)
    var etcConfigDirectory = "/etc/config"

    @Flag(
        name: .customLong("inherit-env"),
        help: "Apply kms-drift's own environment, as kms-server would see it.")
    var inheritEnvironment = false

    /// The sources chosen, with `file` (a positional argument) as the config file when given.
    func sources(
        file: String? = nil, inheritEnvironment extraInherit: Bool = false, searchesLayersByDefault: Bool
    )
        -> EffectiveSources
    {
        EffectiveSources(
            configFile: file ?? configFile, workingDirectory: workdir, runMode: runMode, envFiles: envFiles,
            inheritsEnvironment: inheritEnvironment || extraInherit, pid: pid,
            etcConfigDirectory: etcConfigDirectory,
            searchesLayersByDefault: searchesLayersByDefault)
    }

    /// True when nothing but the file itself is asked for.
    var isPlainFile: Bool {
        configFile == nil && sources(searchesLayersByDefault: false).isPlainFile
    }

    /// One party's configuration: `file` as it is when nothing else is asked, otherwise what
    /// kms-server runs from it (its notes on stderr).
    func partyConfiguration(_ file: String?, maximumSize: Int64) throws -> ConfigFile {
        try EffectiveLoading.partyConfiguration(
            file,
            effective: file != nil && isPlainFile ? nil : sources(file: file, searchesLayersByDefault: false),
            maximumSize: maximumSize, note: Diagnostics.note)
    }
}
