import DriftConfig
import DriftDaemon
import Logging

/// The executable's one logging decision: every `Logger` writes `key=value` lines to stderr,
/// with the `<N>` priority prefix when journald reads them. Called once, by the commands that
/// raise events (`daemon`, `snapshot`).
enum DaemonLogging {
    static func bootstrap() -> Logger {
        LoggingSystem.bootstrap { _ in KeyValueLogHandler() }
        return Logger(label: "kms-drift")
    }
}
