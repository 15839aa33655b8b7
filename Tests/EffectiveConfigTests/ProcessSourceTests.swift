import DriftCore
import Foundation
import Testing

@testable import EffectiveConfig

@Suite("A running process as the source")
struct ProcessSourceTests {
    /// Starts `sleep` with a chosen environment, working directory and command line (argv[0] is
    /// what /proc shows, so the arguments carry `--config-file` as kms-server's would), and
    /// builds the effective configuration from its /proc entry.
    @Test func pidGivesEnvironmentWorkingDirectoryAndConfigFile() throws {
        try withTemporaryRoot { root in
            try write("[service]\nlisten_port = 1\ntimeout_secs = 5\n", to: root + "/config/default.toml")
            try write("[service]\nlisten_port = 2\n", to: root + "/config/kms_core-dev.toml")
            try write("[service]\ntimeout_secs = 7\n", to: root + "/config/compose_2.toml")
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/bin/sh")
            // A shell whose $0/$@ mimic kms-server's argv (only cmdline's arguments are read); it
            // waits on its stdin and exits when the test closes it.
            child.arguments = ["-c", "read line", "kms-server", "--config-file", "config/compose_2.toml"]
            let input = Pipe()
            child.standardInput = input
            child.environment = [
                "RUN_MODE": "dev", "KMS_CORE__THRESHOLD__MY_ID": "2", "PATH": "/usr/bin:/bin",
            ]
            child.currentDirectoryURL = URL(fileURLWithPath: root)
            try child.run()
            defer {
                try? input.fileHandleForWriting.close()
                child.waitUntilExit()
            }
            // The child exists before it has exec'd the shell: wait until /proc shows its command line.
            var inspection = try ProcessInspection.inspect(pid: child.processIdentifier)
            let deadline = Date().addingTimeInterval(10)
            while inspection.configFile == nil && Date() < deadline {
                usleep(10_000)
                inspection = try ProcessInspection.inspect(pid: child.processIdentifier)
            }
            // environ is read before cmdline: the exec may have fallen between the two reads.
            inspection = try ProcessInspection.inspect(pid: child.processIdentifier)
            #expect(inspection.workingDirectory == URL(fileURLWithPath: root).resolvingSymlinksInPath().path)
            #expect(inspection.configFile == "config/compose_2.toml")
            #expect(inspection.environment["RUN_MODE"] == "dev")

            let configuration = try EffectiveSources(
                pid: child.processIdentifier, etcConfigDirectory: root + "/etc"
            )
            .builder().build()
            let file = try configuration.configFile()
            #expect(file.root.value(at: ["service", "listen_port"])?.integerValue == 2)
            #expect(file.root.value(at: ["service", "timeout_secs"])?.integerValue == 7)
            #expect(file.root.value(at: ["threshold", "my_id"])?.integerValue == 2)
            #expect(
                configuration.layers.map(\.slot) == [
                    "config/default", "config/kms_core-dev", "--config-file",
                ])
        }
    }

    @Test func aMissingProcessIsAClearError() {
        #expect {
            try ProcessInspection.inspect(pid: 999_999_999)
        } throws: { error in
            "\(error)".contains("no such process")
        }
    }

    @Test func cmdlineConfigFileFollowsClap() {
        #expect(ProcessInspection.configFile(in: ["kms-server", "--config-file=a.toml"]) == "a.toml")
        #expect(
            ProcessInspection.configFile(in: ["kms-server", "--config-file", "a", "--config-file", "b"])
                == "b")
        #expect(ProcessInspection.configFile(in: ["kms-server"]) == nil)
    }
}
