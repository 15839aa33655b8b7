import FileSystem

/// Where an effective configuration's inputs come from, as the operator chose them on the
/// command line or in `[effective]`: layer files, environment, or a running process.
///
/// Environment sources are applied in this order, later ones winning: the process of `pid`,
/// kms-drift's own environment (`inheritsEnvironment`), then each env file in order.
package struct EffectiveSources: Sendable, Equatable {
    package var configFile: String?
    package var workingDirectory: String?
    package var runMode: String?
    package var envFiles: [String]
    package var inheritsEnvironment: Bool
    package var pid: Int32?
    /// `/etc/config` except in tests.
    package var etcConfigDirectory: String
    /// Search kms-server's layer slots (`config/default.*`, …, `/etc/config/kms_core.toml`)
    /// even without `workingDirectory` or `pid`: what `effective` does; `validate FILE` with only
    /// `--env-file` reads the file alone.
    package var searchesLayersByDefault: Bool

    package init(
        configFile: String? = nil, workingDirectory: String? = nil, runMode: String? = nil,
        envFiles: [String] = [],
        inheritsEnvironment: Bool = false, pid: Int32? = nil, etcConfigDirectory: String = "/etc/config",
        searchesLayersByDefault: Bool = true
    ) {
        self.configFile = configFile
        self.workingDirectory = workingDirectory
        self.runMode = runMode
        self.envFiles = envFiles
        self.inheritsEnvironment = inheritsEnvironment
        self.pid = pid
        self.etcConfigDirectory = etcConfigDirectory
        self.searchesLayersByDefault = searchesLayersByDefault
    }

    /// True when no option asks for more than the file itself (commands then read it as before).
    package var isPlainFile: Bool {
        workingDirectory == nil && runMode == nil && envFiles.isEmpty && !inheritsEnvironment && pid == nil
    }

    /// The environment these sources give, in their order.
    package func environment(
        process: ProcessInspection?, own: () -> EnvironmentVariables = EnvironmentVariables.current
    ) throws(EffectiveConfigError) -> EnvironmentVariables {
        var result = process?.environment ?? EnvironmentVariables()
        if inheritsEnvironment { result.overlay(own()) }
        for file in envFiles { result.overlay(try EnvFile.read(file, known: result)) }
        return result
    }

    /// A builder for these sources: reads `/proc/PID` and the env files now.
    package func builder(
        procRoot: String = "/proc", own: () -> EnvironmentVariables = EnvironmentVariables.current
    ) throws(EffectiveConfigError) -> EffectiveConfigurationBuilder {
        let process = try pid.map { pid throws(EffectiveConfigError) in
            try ProcessInspection.inspect(pid: pid, procRoot: procRoot)
        }
        let environment = try environment(process: process, own: own)
        var notes: [String] = []
        let runModeValue = runMode ?? environment["RUN_MODE"]
        let (mode, recognised) = RunMode.resolve(runModeValue)
        if !recognised, let runModeValue {
            notes.append(
                "RUN_MODE=\(runModeValue) is not a mode kms-server knows "
                    + "(\(RunMode.allCases.map(\.rawValue).joined(separator: ", "))); it uses local, "
                    + "so config/kms_core-local.* is the mode layer")
        }
        let discovery = LayerDiscovery(
            workingDirectory: workingDirectory ?? process?.workingDirectory ?? ".", runMode: mode,
            etcConfigDirectory: etcConfigDirectory, configFile: configFile ?? process?.configFile,
            searchesLayers: searchesLayersByDefault || workingDirectory != nil || pid != nil)
        return EffectiveConfigurationBuilder(
            discovery: discovery, environment: environment,
            rendersTemplates: pid == nil && (inheritsEnvironment || !envFiles.isEmpty), sourceNotes: notes)
    }
}

extension EnvironmentVariables {
    /// kms-drift's own environment.
    package static func current() -> EnvironmentVariables {
        parsing(entries: ProcessEnvironment.entries())
    }
}
