import ArgumentParser
import DriftConfig
import DriftConfig
import SnapshotStore

/// `--config`, `--dir`, `--db`: where the watched directory and the history are.
///
/// With `--config FILE` the daemon's configuration file is read and `--dir` / `--db` override
/// its paths; without it, `--dir` and `--db` (default /var/lib/kms-drift/kms-drift.db) are
/// enough, so `kms-drift snapshot --dir config/demo --db demo.db` needs no file.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The kms-drift configuration file (e.g. /etc/kms-drift/kms-drift.toml).")
    var config: String?

    @Option(name: .long, help: "The watched configuration directory (overrides [watch] directory).")
    var dir: String?

    @Option(name: .long, help: "The history database (overrides [store] database).")
    var db: String?

    /// The effective configuration; `requireDirectory` for commands that read the watched directory.
    func configuration(requireDirectory: Bool) throws -> DriftConfiguration {
        if let config {
            return try DriftConfiguration.load(from: config, overrideDirectory: dir, overrideDatabase: db)
        }
        guard let dir = dir ?? (requireDirectory ? nil : "") else {
            throw CommandLineError("no watched directory: pass --dir DIR or --config FILE")
        }
        return DriftConfiguration(
            watchedDirectory: dir, databasePath: db ?? DriftConfiguration.defaultDatabasePath)
    }

    /// Opens the history database named by the configuration.
    func openStore(_ configuration: DriftConfiguration) throws -> SnapshotStore {
        try SnapshotStore(
            path: configuration.databasePath, busyTimeout: .seconds(configuration.busyTimeoutSeconds))
    }
}

extension SnapshotReference: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }

    public static var defaultCompletionKind: CompletionKind { .default }
}
