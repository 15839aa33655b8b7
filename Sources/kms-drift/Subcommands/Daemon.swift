import ArgumentParser
import DriftConfig
import DriftDaemon

extension KMSDrift {
    /// `kms-drift daemon`: the systemd service. All the logic is `DaemonLoop` in DriftDaemon.
    struct Daemon: ParsableCommand {
        static let configuration = CommandConfiguration(
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
            var reload: DaemonLoop.Reload? = nil
            if let path = location.configurationFile {
                let directory = location.dir
                let database = location.db
                reload = { () throws(DriftConfigurationError) in
                    let configuration = try DriftConfiguration.load(
                        from: path, overrideDirectory: directory, overrideDatabase: database)
                    do {
                        try configuration.checkPaths()
                    } catch {
                        throw DriftConfigurationError(
                            file: path, reason: .invalidValue(key: "watch.directory", reason: "\(error)"))
                    }
                    return configuration
                }
            }
            let loop = DaemonLoop(
                configuration: configuration, reload: reload, logger: logger,
                notifier: SystemdNotifier.fromEnvironment(),
                intervalOverride: intervalMilliseconds.map { .milliseconds($0) })
            let status = loop.run()
            if status != 0 { throw ExitCode(status) }
        }
    }
}
