import ArgumentParser
import DriftDaemon
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
    func configuration(requireDirectory: Bool) throws -> DaemonConfiguration {
        if let config {
            return try Failure.exitOnError {
                try DaemonConfiguration.load(from: config, overrideDirectory: dir, overrideDatabase: db)
            }
        }
        guard let dir = dir ?? (requireDirectory ? nil : "") else {
            Terminal.writeError("kms-drift: no watched directory: pass --dir DIR or --config FILE\n")
            throw ExitCode(2)
        }
        return DaemonConfiguration(
            watchedDirectory: dir, databasePath: db ?? DaemonConfiguration.defaultDatabasePath)
    }

    /// Opens the history database named by the configuration.
    /// Files found readable by others and made owner-only are said so on stderr.
    func openStore(_ configuration: DaemonConfiguration) throws -> SnapshotStore {
        let store = try Failure.exitOnError {
            try SnapshotStore(
                path: configuration.databasePath, busyTimeout: .seconds(configuration.busyTimeoutSeconds))
        }
        for notice in store.permissionNotices { Terminal.writeError("kms-drift: warning: \(notice)\n") }
        return store
    }
}

extension SnapshotReference: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }

    public static var defaultCompletionKind: CompletionKind { .default }
}
