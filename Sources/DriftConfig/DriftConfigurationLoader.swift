import DriftCore
import FileSystem
import KMSValidation
import TOML

extension DriftConfiguration {
    /// Reads and checks a configuration file. `overrideDirectory` and `overrideDatabase` are
    /// `--dir` and `--db`; with both, the file's own values for them are optional.
    package static func load(
        from path: String, overrideDirectory: String? = nil, overrideDatabase: String? = nil
    ) throws(DriftConfigurationError) -> DriftConfiguration {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(path)
        } catch {
            throw DriftConfigurationError(file: path, reason: .unreadable(error.description))
        }
        let root: TOMLTable
        do {
            root = try TOMLParser().parse(bytes, fileName: path)
        } catch {
            throw DriftConfigurationError(
                file: path, line: error.location.line, column: error.location.column,
                reason: .invalidTOML(SecretPolicy().shown(error).description))
        }
        return try parse(
            root, file: path, overrideDirectory: overrideDirectory, overrideDatabase: overrideDatabase)
    }

    /// Builds a configuration from a parsed document; see `load(from:)`.
    package static func parse(
        _ root: TOMLTable, file: String, overrideDirectory: String? = nil, overrideDatabase: String? = nil
    ) throws(DriftConfigurationError) -> DriftConfiguration {
        var top = ConfigurationReader(file: file, table: root, name: "")
        // Relative paths mean the same from cron, systemd and a shell: they are relative to the
        // directory of the configuration file, never to the working directory.
        let base = Self.directory(of: file)
        func resolved(_ path: String) -> String { Self.resolve(path, against: base) }
        func resolved(_ path: String?) -> String? { path.map { Self.resolve($0, against: base) } }

        var watch = try top.table("watch")
        let fileDirectory = resolved(try watch.string("directory"))
        let include = try watch.patterns("include", parse: PathGlob.init(_:)) ?? []
        let exclude = try watch.patterns("exclude", parse: PathGlob.init(_:)) ?? []
        let maximumFileSize = try watch.integer("max_file_size", range: 1...(1 << 40))
        // Unknown keys first: `directroy = "/etc/kms"` must say "did you mean `directory`?",
        // not "missing key `watch.directory`".
        try watch.rejectUnknownKeys()
        guard let directory = overrideDirectory ?? fileDirectory else {
            throw DriftConfigurationError(
                file: file, line: watch.table.location.line, column: watch.table.location.column,
                reason: .missingKey("watch.directory"))
        }
        var store = try top.table("store")
        let fileDatabase = resolved(try store.string("database"))
        let database = overrideDatabase ?? fileDatabase ?? defaultDatabasePath
        var configuration = DriftConfiguration(watchedDirectory: directory, databasePath: database)
        configuration.sourcePath = file

        configuration.watchFilter = PathFilter(include: include, exclude: exclude)
        if let maximumFileSize { configuration.maximumStoredFileSize = maximumFileSize }

        configuration.retention = try store.retentionSettings()
        if let timeout = try store.integer("busy_timeout_seconds", range: 0...3600) {
            configuration.busyTimeout = .seconds(timeout)
        }
        configuration.signingKeyPath = resolved(try store.string("signing_key"))
        try store.rejectUnknownKeys()

        var backup = try top.table("backup")
        configuration.backup = try BackupSettings.parse(&backup, resolve: resolved)

        var schedule = try top.table("schedule")
        if let interval = try schedule.integer("interval_seconds", range: 1...86_400 * 7) {
            configuration.interval = .seconds(interval)
        }
        if let remind = try schedule.integer("remind_every_seconds", range: 0...86_400 * 365) {
            configuration.remindEvery = remind == 0 ? nil : .seconds(remind)
        }
        if let watch = try schedule.boolean("watch") { configuration.watch = watch }
        if let debounce = try schedule.integer(
            "debounce_milliseconds",
            range: 0...DriftConfiguration.maximumChangeDelay.components.seconds * 1000)
        {
            configuration.debounce = .milliseconds(debounce)
        }
        try schedule.rejectUnknownKeys()

        var reference = try top.table("reference")
        let mode = try reference.string("mode") ?? "baseline"
        let referenceDirectory = try reference.string("directory")
        try reference.rejectUnknownKeys()
        switch mode {
        case "baseline":
            if referenceDirectory != nil {
                throw reference.invalid("directory", "only used with mode = \"directory\"")
            }
            configuration.reference = .baseline
        case "directory":
            guard let referenceDirectory else {
                throw DriftConfigurationError(
                    file: file, line: reference.table.location.line, column: reference.table.location.column,
                    reason: .missingKey("reference.directory"))
            }
            configuration.reference = .directory(resolved(referenceDirectory))
        default:
            throw reference.invalid("mode", "\"\(mode)\" is not one of \"baseline\", \"directory\"")
        }

        var compare = try top.table("compare")
        configuration.ignore = try compare.patterns("ignore", parse: KeyPathPattern.init) ?? []
        switch try compare.string("toml_version") ?? "1.1" {
        case "1.1": configuration.tomlVersion = .v1_1
        case "1.0": configuration.tomlVersion = .v1_0
        case let other: throw compare.invalid("toml_version", "\"\(other)\" is not \"1.0\" or \"1.1\"")
        }
        try compare.rejectUnknownKeys()

        var log = try top.table("log")
        configuration.eventLogPath = resolved(try log.string("json_file"))
        try log.rejectUnknownKeys()

        var metrics = try top.table("metrics")
        configuration.metricsPath = resolved(try metrics.string("textfile"))
        try metrics.rejectUnknownKeys()

        var validate = try top.table("validate")
        configuration.validatedConfig = try validate.string("kms_config")
        if let relative = configuration.validatedConfig {
            // Validated as recorded in each snapshot, by its path inside the watched directory: a path
            // that cannot be there would fail every cycle, so it is refused now.
            let components = relative.split(separator: "/", omittingEmptySubsequences: false)
            if relative.hasPrefix("/") {
                let prefix =
                    configuration.watchedDirectory.hasSuffix("/")
                    ? configuration.watchedDirectory : configuration.watchedDirectory + "/"
                let hint =
                    relative.hasPrefix(prefix)
                    ? "; write it relative to it: \"\(relative.dropFirst(prefix.count))\"" : ""
                throw validate.invalid(
                    "kms_config",
                    "\"\(relative)\" is an absolute path; it must name a file inside [watch] directory "
                        + "(\(configuration.watchedDirectory)), relative to it\(hint)")
            }
            if relative.isEmpty || components.contains("..") || components.contains("")
                || components.contains(".")
            {
                throw validate.invalid(
                    "kms_config",
                    "\"\(relative)\" is not a plain path inside [watch] directory (\(configuration.watchedDirectory)); "
                        + "give the file relative to it, without . or .. (for example \"kms-server.toml\")")
            }
        }
        if let environment = try validate.string("environment") {
            guard let parsed = DeploymentEnvironment(rawValue: environment) else {
                throw validate.invalid(
                    "environment", "\"\(environment)\" is not development, staging or production")
            }
            configuration.environment = parsed
        }
        try validate.rejectUnknownKeys()

        var effective = try top.table("effective")
        if root["effective"] != nil {
            var settings = EffectiveSettings()
            // config_file is kms-server's own argument: relative to kms-server's working directory,
            // as kms-server reads it. The other paths are kms-drift's, relative to this file.
            settings.configFile = try effective.string("config_file")
            settings.workingDirectory = resolved(try effective.string("workdir"))
            settings.runMode = try effective.string("run_mode")
            settings.envFiles = (try effective.strings("env_files") ?? []).map(resolved)
            settings.pidFile = resolved(try effective.string("pid_file"))
            settings.processName = try effective.string("process_name")
            if settings.pidFile != nil && settings.processName != nil {
                throw effective.invalid("process_name", "give pid_file or process_name, not both")
            }
            settings.url = try effective.string("url")
            if let timeout = try effective.integer("timeout_seconds", range: 1...300) {
                settings.timeout = .seconds(timeout)
            }
            settings.allowRemote = try effective.boolean("allow_remote") ?? false
            settings.etcConfigDirectory =
                resolved(try effective.string("etc_config_dir")) ?? settings.etcConfigDirectory
            settings.referenceFile = try effective.string("reference_file") ?? settings.referenceFile
            configuration.effective = settings
        }
        try effective.rejectUnknownKeys()

        var network = try top.table("network")
        configuration.network = try NetworkSettings.parse(
            &network, present: root["network"] != nil,
            hasConfigSource: configuration.effective != nil || configuration.validatedConfig != nil,
            resolve: resolved)
        if let settings = configuration.network, settings.publish != nil,
            settings.key == nil && configuration.signingKeyPath == nil
        {
            throw network.invalid(
                "publish",
                "a statement is signed: give key = \"FILE\" (kms-drift keygen) or [store] signing_key")
        }

        for var hook in try top.tables("hooks") {
            var parsed = try parseHook(&hook, position: configuration.hooks.count + 1)
            // Log lines, metrics and the order of a hook's runs go by its name: two hooks may not share one.
            if let first = configuration.hooks.firstIndex(where: { $0.name == parsed.name }) {
                throw hook.invalid(
                    "name",
                    "\"\(parsed.name)\" is already the name of hook \(first + 1); give each hook its own name"
                )
            }
            // A program named with a "/" is a path (resolved like every other); a bare name is
            // looked up in PATH, as a shell would.
            if parsed.command[0].contains("/") { parsed.command[0] = resolved(parsed.command[0]) }
            configuration.hooks.append(parsed)
        }
        try top.rejectUnknownKeys()
        return configuration
    }

    private static func parseHook(_ reader: inout ConfigurationReader, position: Int)
        throws(DriftConfigurationError) -> Hook
    {
        let name = try reader.string("name") ?? "hook \(position)"
        guard let command = try reader.strings("command") else {
            throw DriftConfigurationError(
                file: reader.file, line: reader.table.location.line, column: reader.table.location.column,
                reason: .missingKey("\(reader.name).command"))
        }
        guard let program = command.first, !program.isEmpty else {
            throw reader.invalid("command", "the argv array is empty; give the program and its arguments")
        }
        let eventNames = try reader.strings("on") ?? EventKind.allCases.map(\.rawValue)
        var events = Set<EventKind>()
        for name in eventNames {
            guard let event = EventKind(rawValue: name) else {
                throw reader.invalid(
                    "on",
                    "\"\(name)\" is not one of \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            events.insert(event)
        }
        let timeout = try reader.integer("timeout_seconds", range: 1...3600) ?? 30
        var environment: [String: String] = [:]
        let environmentReader = try reader.table("environment")
        for entry in environmentReader.table.entries {
            guard case .string(let value) = entry.value else {
                throw DriftConfigurationError(
                    file: reader.file, line: entry.valueLocation.line, column: entry.valueLocation.column,
                    reason: .wrongType(
                        key: "\(environmentReader.name).\(entry.key)", expected: "a string",
                        found: entry.value.typeName))
            }
            environment[entry.key] = value
        }
        try reader.rejectUnknownKeys()
        return Hook(
            name: name, events: events, command: command, timeout: .seconds(timeout),
            environment: environment)
    }

    /// The directory part of `path` (`config` for `config/demo.toml`; empty for `kms-drift.toml`).
    static func directory(of path: String) -> String {
        let directory = PathText.directory(of: path)
        return directory == "." && !path.hasPrefix("./") ? "" : directory
    }

    /// `path` when absolute, else `path` under `base` (unchanged when `base` is empty).
    static func resolve(_ path: String, against base: String) -> String {
        guard !path.hasPrefix("/"), !base.isEmpty else { return path }
        return base == "/" ? "/" + path : base + "/" + path
    }

    /// The installed configuration, read by every command when neither `--config` nor
    /// `KMS_DRIFT_CONFIG` names another.
    package static let installedFilePath = "/etc/kms-drift/kms-drift.toml"

    /// The configuration file a command reads: `--config`, else `$KMS_DRIFT_CONFIG` (set but
    /// empty: no file), else the installed file when it exists, else none (flags only).
    package static func fileToRead(
        flag: String?, environment: [String: String], exists: (String) -> Bool
    ) -> String? {
        if let flag { return flag }
        if let variable = environment["KMS_DRIFT_CONFIG"] { return variable.isEmpty ? nil : variable }
        return exists(installedFilePath) ? installedFilePath : nil
    }
}
