import ArgumentParser
import DriftConfig
import DriftDaemon
import DriftOperations

extension KMSDrift {
    /// `kms-drift daemon`: the systemd service. All the logic is `DaemonLoop` in DriftDaemon.
    struct Daemon: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "daemon",
            abstract: "Watch the directory: one cycle now, then one per interval, until SIGTERM.",
            discussion: """
                Each cycle takes a snapshot, compares it with the reference, rotates the history and \
                raises events (log line on stderr, [log] json_file, [[hooks]]). SIGHUP re-reads the \
                --config file (a bad file is logged and the old configuration kept); SIGTERM or \
                SIGINT lets the running cycle finish, closes the database and exits 0. \
                Under systemd (Type=notify) it sends READY=1, STATUS=, WATCHDOG=1 and STOPPING=1.
                """)

        @OptionGroup var location: StoreOptions

        @Flag(
            name: .customLong("check-config"),
            help:
                "Read and check the configuration as a start or a SIGHUP would, print that it can be used, and exit (2 with file:line:column when it cannot). The unit's ExecReload runs it before sending SIGHUP, so `systemctl reload` fails on a bad file."
        )
        var checkConfig = false

        /// A test and benchmark seam: sub-second cycles without a config file.
        @Option(name: .customLong("interval-ms"), help: .hidden)
        var intervalMilliseconds: Int?

        func validate() throws {
            if let intervalMilliseconds, intervalMilliseconds < 1 {
                throw ValidationError("--interval-ms must be at least 1")
            }
        }

        func run() throws {
            let configuration = try location.configuration(requireDirectory: true)
            try configuration.checkPaths()
            if checkConfig {
                Terminal.writeOutput(
                    "\(configuration.sourcePath ?? "the command line"): the configuration can be used\n")
                return
            }
            let logger = DaemonLogging.bootstrap()
            let loop = DaemonLoop(
                configuration: configuration,
                reload: DaemonLoop.reload(
                    file: location.configurationFile, overrideDirectory: location.dir,
                    overrideDatabase: location.db),
                logger: logger,
                notifier: SystemdNotifier.fromEnvironment(),
                intervalOverride: intervalMilliseconds.map { .milliseconds($0) })
            try Diagnostics.exit(with: loop.run())
        }
    }
}
