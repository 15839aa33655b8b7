import Foundation
import TOML
import TestSupport
import Testing

@testable import DriftConfig

@Suite("The daemon's configuration file")
struct DriftConfigurationTests {
    func parse(_ text: String, dir: String? = nil, db: String? = nil) throws(DriftConfigurationError)
        -> DriftConfiguration
    {
        let root: TOMLTable
        do {
            root = try parseTOML(text, file: "kms-drift.toml")
        } catch {
            throw DriftConfigurationError(file: "kms-drift.toml", reason: .invalidTOML(error.description))
        }
        return try DriftConfiguration.parse(
            root, file: "kms-drift.toml", overrideDirectory: dir, overrideDatabase: db)
    }

    @Test("the shipped config/kms-drift.toml is valid and says what the README says")
    func shippedFile() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/kms-drift.toml").path
        let configuration = try DriftConfiguration.load(from: path)
        #expect(configuration.keep == 10)
        #expect(configuration.reference == .baseline)
        #expect(!configuration.hooks.isEmpty)
        // The shipped excludes exclude editors' files at the top of the watched directory too.
        let filter = configuration.watchFilter
        for path in [
            ".kms-server.toml.swp", "kms-server.toml~", ".#kms-server.toml", "sub/.a.toml.swp", "sub/b~",
        ] {
            #expect(!filter.admitsFile(path), "\(path)")
        }
        #expect(filter.admitsFile("kms-server.toml"))
        #expect(filter.admitsFile("certs/ca.pem"))
    }

    @Test(
        "which file a command reads: --config, else KMS_DRIFT_CONFIG (empty: none), else the installed file")
    func fileToRead() {
        let installed = DriftConfiguration.installedFilePath
        let exists: (String) -> Bool = { $0 == installed }
        let none: (String) -> Bool = { _ in false }
        #expect(
            DriftConfiguration.fileToRead(
                flag: "a.toml", environment: ["KMS_DRIFT_CONFIG": "b"], exists: exists) == "a.toml")
        #expect(
            DriftConfiguration.fileToRead(
                flag: nil, environment: ["KMS_DRIFT_CONFIG": "b.toml"], exists: exists) == "b.toml")
        #expect(
            DriftConfiguration.fileToRead(flag: nil, environment: ["KMS_DRIFT_CONFIG": ""], exists: exists)
                == nil)
        #expect(DriftConfiguration.fileToRead(flag: nil, environment: [:], exists: exists) == installed)
        #expect(DriftConfiguration.fileToRead(flag: nil, environment: [:], exists: none) == nil)
    }

    @Test("relative paths are relative to the file's directory; absolute ones and flags are kept")
    func relativePaths() throws {
        let root = try parseTOML(
            """
            [watch]
            directory = "live"
            [store]
            database = "/abs/x.db"
            [reference]
            mode = "directory"
            directory = "../gitops"
            [log]
            json_file = "events.jsonl"
            [[hooks]]
            command = ["hooks/page", "--x"]
            [[hooks]]
            command = ["logger"]
            """, file: "/etc/kms-drift/kms-drift.toml")
        let configuration = try DriftConfiguration.parse(root, file: "/etc/kms-drift/kms-drift.toml")
        #expect(configuration.watchedDirectory == "/etc/kms-drift/live")
        #expect(configuration.databasePath == "/abs/x.db")
        #expect(configuration.reference == .directory("/etc/kms-drift/../gitops"))
        #expect(configuration.eventLogPath == "/etc/kms-drift/events.jsonl")
        #expect(configuration.hooks.map { $0.command[0] } == ["/etc/kms-drift/hooks/page", "logger"])
        let overridden = try DriftConfiguration.parse(
            root, file: "/etc/kms-drift/kms-drift.toml", overrideDirectory: "here")
        #expect(overridden.watchedDirectory == "here")
    }

    @Test("a misspelt key says did-you-mean even when the key it should be is missing")
    func didYouMeanBeforeMissing() {
        #expect {
            try parse("[watch]\ndirectroy = \"/etc/kms\"\n")
        } throws: { error in
            "\(error)".contains("did you mean `directory`?")
        }
    }

    @Test("every setting is read")
    func full() throws {
        let configuration = try parse(
            """
            [watch]
            directory = "/etc/kms"
            include = ["**/*.toml"]
            exclude = ["*.swp"]
            max_file_size = 1024
            [store]
            database = "/var/lib/kms-drift/x.db"
            keep = 5
            busy_timeout_seconds = 2
            [schedule]
            interval_seconds = 30
            remind_every_seconds = 3600
            watch = false
            debounce_milliseconds = 50
            [reference]
            mode = "directory"
            directory = "/srv/gitops/party1"
            [compare]
            ignore = ["telemetry.*"]
            toml_version = "1.0"
            [log]
            json_file = "/var/log/kms-drift/events.jsonl"
            [metrics]
            textfile = "/var/lib/node_exporter/kms-drift.prom"
            [validate]
            kms_config = "kms-server.toml"
            environment = "production"
            [[hooks]]
            name = "page"
            on = ["drift", "error"]
            command = ["/usr/local/bin/page", "--team", "kms"]
            timeout_seconds = 10
            environment = { TEAM = "kms" }
            """)
        #expect(configuration.watchedDirectory == "/etc/kms")
        #expect(configuration.watchFilter.include.map(\.description) == ["**/*.toml"])
        #expect(configuration.maximumStoredFileSize == 1024)
        #expect(configuration.databasePath == "/var/lib/kms-drift/x.db")
        #expect(configuration.keep == 5)
        #expect(configuration.interval == .seconds(30))
        #expect(configuration.remindEvery == .seconds(3600))
        #expect(configuration.watch == false)
        #expect(configuration.debounce == .milliseconds(50))
        #expect(configuration.reference == .directory("/srv/gitops/party1"))
        #expect(configuration.ignore.map(\.description) == ["telemetry.*"])
        #expect(configuration.tomlVersion == .v1_0)
        #expect(configuration.eventLogPath == "/var/log/kms-drift/events.jsonl")
        #expect(configuration.metricsPath == "/var/lib/node_exporter/kms-drift.prom")
        #expect(configuration.validatedConfig == "kms-server.toml")
        let hook = try #require(configuration.hooks.first)
        #expect(hook.name == "page")
        #expect(hook.events == [.drift, .error])
        #expect(hook.command == ["/usr/local/bin/page", "--team", "kms"])
        #expect(hook.timeout == .seconds(10))
        #expect(hook.environment == ["TEAM": "kms"])
    }

    @Test("--dir and --db make the file optional")
    func overrides() throws {
        let configuration = try parse("", dir: "config/demo", db: "demo.db")
        #expect(configuration.watchedDirectory == "config/demo")
        #expect(configuration.databasePath == "demo.db")
        #expect(configuration.keep == 10)
        #expect(configuration.interval == .seconds(60))
        #expect(configuration.watch == true, "changes are watched unless the file says otherwise")
        #expect(configuration.debounce == .milliseconds(200))
    }

    @Test(
        "mistakes are located and explained",
        arguments: [
            (
                "[watch]\ndirectory = \"/x\"\ndirectroy = \"/y\"\n",
                "kms-drift.toml:3:1: unknown key `directroy` in [watch] (did you mean `directory`?)"
            ),
            (
                "[watch]\ndirectory = \"/x\"\n[store]\nkeep = \"10\"\n",
                "kms-drift.toml:4:8: `store.keep` must be an integer, found string"
            ),
            (
                "[watch]\ndirectory = \"/x\"\n[store]\nkeep = 0\n",
                "kms-drift.toml:4:8: invalid `store.keep`: 0 is outside 1…100000"
            ),
            ("[store]\nkeep = 3\n", "missing key `watch.directory`"),
            (
                "[watch]\ndirectory = \"/x\"\n[[hooks]]\ncommand = []\n",
                "kms-drift.toml:4:11: invalid `hooks[1].command`: the argv array is empty"
            ),
            (
                "[watch]\ndirectory = \"/x\"\n[[hooks]]\ncommand = \"notify-send drift\"\n",
                "`hooks[1].command` must be an array of strings, found string"
            ),
            (
                "[watch]\ndirectory = \"/x\"\n[[hooks]]\ncommand = [\"/bin/true\"]\non = [\"drfit\"]\n",
                "\"drfit\" is not one of drift, recovered, error, violation"
            ),
            (
                "[watch]\ndirectory = \"/x\"\n[reference]\nmode = \"directory\"\n",
                "missing key `reference.directory`"
            ),
            (
                "intervl = 5\n[watch]\ndirectory = \"/x\"\n",
                "kms-drift.toml:1:1: unknown key `intervl` at the top level"
            ),
            (
                "[watch]\ndirectory = \"/x\"\n[schedule]\nwatch = \"yes\"\n",
                "kms-drift.toml:4:9: `schedule.watch` must be true or false, found string"
            ),
            (
                "[watch]\ndirectory = \"/x\"\n[schedule]\ndebounce_milliseconds = 5000\n",
                "kms-drift.toml:4:25: invalid `schedule.debounce_milliseconds`: 5000 is outside 0…2000"
            ),
            (
                "[watch]\ndirectory = \"/x\"\n[compare]\nignore = [\"a..b\"]\n",
                "invalid `compare.ignore`: invalid key path pattern"
            ),
        ])
    func mistakes(text: String, message: String) {
        do {
            _ = try parse(text)
            Issue.record("expected an error containing \(message)")
        } catch {
            #expect(error.description.contains(message), "got: \(error.description)")
        }
    }

    @Test("an unreadable file names the path and the reason")
    func unreadable() {
        #expect {
            try DriftConfiguration.load(from: "/nonexistent/kms-drift.toml")
        } throws: { error in
            "\(error)".contains("/nonexistent/kms-drift.toml: No such file or directory")
        }
    }
}

@Suite("[effective] in the daemon's configuration file")
struct EffectiveSettingsTests {
    func parse(_ text: String) throws(DriftConfigurationError) -> DriftConfiguration {
        let root: TOMLTable
        do {
            root = try parseTOML(text, file: "/etc/kms-drift/kms-drift.toml")
        } catch {
            throw DriftConfigurationError(file: "kms-drift.toml", reason: .invalidTOML(error.description))
        }
        return try DriftConfiguration.parse(root, file: "/etc/kms-drift/kms-drift.toml")
    }

    @Test func everyKeyIsReadAndKmsDriftsOwnPathsAreRelativeToTheFile() throws {
        let configuration = try parse(
            """
            [watch]
            directory = "/etc/kms"
            [effective]
            config_file = "config/compose_1.toml"
            workdir = "/app/kms/core/service"
            run_mode = "prod"
            env_files = ["party1.env", "/srv/kms/extra.env"]
            pid_file = "/run/kms-server.pid"
            url = "http://127.0.0.1:9464/config"
            timeout_seconds = 3
            allow_remote = false
            reference_file = "node.toml"
            """)
        let settings = try #require(configuration.effective)
        #expect(settings.configFile == "config/compose_1.toml")
        #expect(settings.workingDirectory == "/app/kms/core/service")
        #expect(settings.runMode == "prod")
        #expect(settings.envFiles == ["/etc/kms-drift/party1.env", "/srv/kms/extra.env"])
        #expect(settings.pidFile == "/run/kms-server.pid")
        #expect(settings.url == "http://127.0.0.1:9464/config")
        #expect(settings.timeout == .seconds(3))
        #expect(settings.referenceFile == "node.toml")
        #expect(try parse("[watch]\ndirectory = \"/etc/kms\"\n").effective == nil)
    }

    @Test func mistakesAreErrorsWithTheirPlace() {
        #expect {
            try parse(
                "[watch]\ndirectory = \"/k\"\n[effective]\npid_file = \"/p\"\nprocess_name = \"kms-server\"\n"
            )
        } throws: { error in
            "\(error)".contains("give pid_file or process_name, not both")
        }
        #expect {
            try parse("[watch]\ndirectory = \"/k\"\n[effective]\nenv_file = \"x.env\"\n")
        } throws: { error in
            "\(error)".contains("env_file")
        }
        #expect(throws: DriftConfigurationError.self) {
            try parse("[watch]\ndirectory = \"/k\"\n[effective]\ntimeout_seconds = 0\n")
        }
    }
}
