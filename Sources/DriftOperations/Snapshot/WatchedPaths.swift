import DriftConfig
import SnapshotStore

extension DriftConfiguration {
    /// Refuses a configuration whose watched directory may not be watched: `/`, `/proc`, `/sys`,
    /// `/dev`, or a directory that holds a file kms-drift writes (the database, the event log, the
    /// metrics file), which would make every snapshot report kms-drift's own writes as drift.
    /// Checked when a command starts and at every cycle.
    package func checkPaths() throws {
        var outputs: [(what: String, path: String)] = [("database", databasePath)]
        if let eventLogPath { outputs.append(("event log ([log] json_file)", eventLogPath)) }
        if let metricsPath { outputs.append(("metrics file ([metrics] textfile)", metricsPath)) }
        try WatchedDirectoryPolicy.check(directory: watchedDirectory, outputs: outputs)
    }
}
