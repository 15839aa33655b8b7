import ArgumentParser
import DriftConfig
import FileSystem
import SnapshotStore

/// `--config`, `--dir`, `--db`: where the watched directory and the history are.
///
/// The configuration file (`--config`, `$KMS_DRIFT_CONFIG`, or the installed
/// /etc/kms-drift/kms-drift.toml) is read and `--dir` / `--db` override its paths; with no file,
/// `--dir` and `--db` (default /var/lib/kms-drift/kms-drift.db) are enough, so
/// `kms-drift snapshot --dir config/demo --db demo.db` needs no file.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "The kms-drift configuration file (default: $KMS_DRIFT_CONFIG, else /etc/kms-drift/kms-drift.toml if it exists).",
        completion: .file())
    var config: String?

    @Option(
        name: .long, help: "The watched configuration directory (overrides [watch] directory).",
        completion: .directory)
    var dir: String?

    @Option(name: .long, help: "The history database (overrides [store] database).", completion: .file())
    var db: String?

    /// The effective configuration; `requireDirectory` for commands that read the watched directory.
    func configuration(requireDirectory: Bool) throws -> DriftConfiguration {
        if let file = configurationFile {
            return try DriftConfiguration.load(from: file, overrideDirectory: dir, overrideDatabase: db)
        }
        guard let dir = dir ?? (requireDirectory ? nil : "") else {
            throw CommandLineError("no watched directory: pass --dir DIR or --config FILE")
        }
        return DriftConfiguration(
            watchedDirectory: dir, databasePath: db ?? DriftConfiguration.defaultDatabasePath)
    }

    /// `--config`, else `$KMS_DRIFT_CONFIG`, else /etc/kms-drift/kms-drift.toml when it exists.
    var configurationFile: String? {
        DriftConfiguration.fileToRead(
            flag: config, environment: ProcessEnvironment.variables, exists: FileContents.exists)
    }

    /// Opens the history database named by the configuration.
    /// Files found readable by others and made owner-only are said so on stderr.
    func openStore(_ configuration: DriftConfiguration) throws -> SnapshotStore {
        let store = try SnapshotStore(
            path: configuration.databasePath, busyTimeout: configuration.busyTimeout)
        for notice in store.permissionNotices { Diagnostics.warning(notice) }
        return store
    }
}

extension SnapshotReference: ExpressibleByArgument {
    package init?(argument: String) {
        self.init(parsing: argument)
    }

    package static var defaultCompletionKind: CompletionKind { .default }
}
