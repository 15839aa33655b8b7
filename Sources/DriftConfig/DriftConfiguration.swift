import Age
import DriftCore
import FileSystem
import KMSValidation
import TOML

/// kms-drift's configuration (`config/kms-drift.toml`): what to watch, where the history lives,
/// what the reference is, and whom to tell.
///
/// The daemon, the one-shot and the history commands read it (`--config FILE`); `--dir` and
/// `--db` override the two paths, so `kms-drift snapshot --dir config/demo --db demo.db` works
/// without a file. Unknown keys, wrong types and invalid patterns are errors with
/// file:line:column: a typo must not silently disable an alert. Patterns are parsed here, once,
/// and travel as their types.
package struct DriftConfiguration: Sendable {
    /// What the current state is compared with.
    package enum Reference: Sendable, Equatable {
        /// An accepted snapshot in the store (`kms-drift baseline set`); the first snapshot of an
        /// empty store becomes the baseline.
        case baseline
        /// A reference directory deployed by GitOps.
        case directory(String)
    }

    /// A command run on events; argv only, never a shell string.
    package struct Hook: Sendable, Equatable {
        package var name: String
        package var events: Set<EventKind>
        package var command: [String]
        /// `timeout_seconds`: the hook is stopped after this long.
        package var timeout: Duration
        package var environment: [String: String]

        package init(
            name: String, events: Set<EventKind>, command: [String], timeout: Duration = .seconds(30),
            environment: [String: String] = [:]
        ) {
            self.name = name
            self.events = events
            self.command = command
            self.timeout = timeout
            self.environment = environment
        }
    }

    package var watchedDirectory: String
    /// `[watch] include` and `exclude`: which paths every walk of every tree admits.
    package var watchFilter: PathFilter = .everything
    package var maximumStoredFileSize: Int64 = 16 << 20
    package var databasePath: String
    /// `[store] keep` and its time tiers: which snapshots rotation keeps.
    package var retention = RetentionSettings()
    /// `[store] keep`: the newest distinct states kept (see ``retention``).
    package var keep: Int {
        get { retention.keep }
        set { retention.keep = newValue }
    }
    /// `[store] busy_timeout_seconds`: how long a write waits for another writer of the database.
    package var busyTimeout: Duration = .seconds(5)
    /// `[store] signing_key`: the Ed25519 private key every new chain link is signed with.
    package var signingKeyPath: String? = nil
    /// `[backup]`: encrypted exports written off the host after each changed snapshot.
    package var backup: BackupSettings? = nil
    /// The safety net: a full scan this often, whatever inotify says (and the only schedule when
    /// `watch` is off or cannot be set up).
    /// `[schedule] interval_seconds`.
    package var interval: Duration = .seconds(60)
    /// `[schedule] watch`: the daemon also starts a cycle when inotify reports a change in the
    /// watched tree, within about `debounce` instead of up to `interval`.
    package var watch: Bool = true
    /// `[schedule] debounce_milliseconds`: a watched change starts a cycle after this much quiet,
    /// or at most ``maximumChangeDelay`` after the first change of a burst, so an
    /// editor's write-rename-chmod or a Helm upgrade of twenty files is one cycle and one alert.
    package var debounce: Duration = .milliseconds(200)
    /// However long a burst of changes lasts, its first change is scanned within this delay.
    package static let maximumChangeDelay: Duration = .seconds(2)
    /// `[schedule] remind_every_seconds`: re-raise an unchanged drift after this long; `nil`
    /// raises it once.
    package var remindEvery: Duration? = nil
    package var reference: Reference = .baseline
    /// `[compare] ignore`: key paths whose differences are dropped.
    package var ignore: [KeyPathPattern] = []
    package var tomlVersion: TOMLParser.Version = .v1_1
    /// Also write each event as a JSON line to this file.
    package var eventLogPath: String? = nil
    /// node_exporter textfile collector output, written atomically each cycle.
    package var metricsPath: String? = nil
    /// A kms-server config inside the watched directory to validate each cycle.
    package var validatedConfig: String? = nil
    /// `[validate] environment`: the deployment policy the validated config is held to.
    package var environment: DeploymentEnvironment? = nil
    package var hooks: [Hook] = []
    /// `[effective]`: watch what kms-server really runs, not only the files; `nil` when absent.
    package var effective: EffectiveSettings? = nil
    /// `[network]`: publish this party's signed statement and check the others'; `nil` when absent.
    package var network: NetworkSettings? = nil
    /// Where the configuration came from, for messages; `nil` when built from flags.
    package var sourcePath: String? = nil

    package static let defaultDatabasePath = "/var/lib/kms-drift/kms-drift.db"

    package init(watchedDirectory: String, databasePath: String = DriftConfiguration.defaultDatabasePath) {
        self.watchedDirectory = watchedDirectory
        self.databasePath = databasePath
    }
}

/// What the daemon and the one-shot mode raise.
package enum EventKind: String, Sendable, CaseIterable, Hashable {
    /// The state differs from the reference in a new way.
    case drift
    /// The state is back to the reference.
    case recovered
    /// A cycle failed: unreadable directory, invalid TOML in a watched file, database error.
    case error
    /// The watched kms-server config has validation errors.
    case violation
    /// The configuration on disk differs from what the running kms-server reports: it takes
    /// effect only at the next restart.
    case pendingRestart = "pending-restart"
    /// A certificate the watched kms-server config names is in its last 30 days (warning), its
    /// last 7 (critical), or expired (critical): each once per certificate.
    case expiring
    /// Another party of the network states a different shared configuration, or an invalid statement.
    case networkDisagreement = "network-disagreement"
    /// A party of the network published no statement, or none recent enough.
    case networkStale = "network-stale"
}
