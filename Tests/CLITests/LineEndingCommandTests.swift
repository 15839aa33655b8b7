import Foundation
import TestSupport
import Testing

/// Line-based inputs typed on another system: a CRLF env file reads as the same file with LF
/// (issue 18: `validate` saw no error and `effective` printed one variable holding the whole file).
@Suite("CRLF input files on the command line")
struct LineEndingCommandTests {
    @Test("validate --env-file: a CRLF env file is refused for the same port as its LF twin")
    func validateCRLFEnvFile() throws {
        try withTemporaryDirectory { directory in
            try directory.write("kms-server.toml", try EffectiveCommandTests.party1)
            var outputs: [String] = []
            for (name, ending) in [("lf.env", "\n"), ("crlf.env", "\r\n")] {
                try directory.write(
                    name,
                    "KMS_CORE__TELEMETRY__TRACING_SERVICE_NAME=party1\(ending)"
                        + "KMS_CORE__SERVICE__LISTEN_PORT=70000\(ending)")
                let result = try CLI.run(
                    ["validate", "--env-file", name, "kms-server.toml"], currentDirectory: directory.url)
                #expect(result.status != 0, "\(name): \(result.stdout)\(result.stderr)")
                #expect(
                    (result.stdout + result.stderr).contains("LISTEN_PORT=70000"),
                    "\(name): \(result.stdout)\(result.stderr)")
                outputs.append(
                    "\(result.status) "
                        + (result.stdout + result.stderr).replacingOccurrences(of: name, with: "ENV"))
            }
            #expect(outputs[0] == outputs[1])
        }
    }

    @Test("effective --show-origin: each variable of a CRLF env file is its own value")
    func effectiveCRLFEnvFile() throws {
        try withTemporaryDirectory { directory in
            try directory.write(
                "config/default.toml",
                "[service]\nlisten_port = 50100\n[telemetry]\ntracing_service_name = \"x\"\n")
            try directory.write("config/compose_1.toml", "[service]\ntimeout_secs = 60\n")
            try directory.write(
                "e.env",
                "KMS_CORE__TELEMETRY__TRACING_SERVICE_NAME=party1\r\nKMS_CORE__THRESHOLD__MY_ID=3\r\n")
            let result = try CLI.run(
                [
                    "effective", "--workdir", ".", "--config-file", "config/compose_1.toml", "--env-file",
                    "e.env",
                    "--etc-config-dir", "etc", "--show-origin",
                ], currentDirectory: directory.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(
                result.stdout.contains(
                    "tracing_service_name = \"party1\"  # env KMS_CORE__TELEMETRY__TRACING_SERVICE_NAME\n"),
                "\(result.stdout)")
            #expect(
                result.stdout.contains("my_id = 3  # env KMS_CORE__THRESHOLD__MY_ID\n"), "\(result.stdout)")
        }
    }
}
