import Foundation
import TestSupport
import Testing

/// `effective`, `render` and the source options of `validate` and `check`, on the built binary.
@Suite("kms-drift effective and render")
struct EffectiveCommandTests {
    static var party1: String {
        get throws {
            try String(
                contentsOf: TestPaths.shared.appendingPathComponent(
                    "corpus/kms/core__service__config__default_1.toml"),
                encoding: .utf8)
        }
    }

    @Test func effectiveShowsEachValuesOrigin() throws {
        try withTemporaryDirectory { directory in
            let root = directory.path
            try directory.write("config/default.toml", "[service]\nlisten_port = 50100\ntimeout_secs = 360\n")
            try directory.write("config/compose_1.toml", "[service]\ntimeout_secs = 60\n")
            let env = try directory.write("p.env", "KMS_CORE__THRESHOLD__MY_ID=3\nRUN_MODE=prod\n")
            let result = try CLI.run([
                "effective", "--workdir", root, "--config-file", "config/compose_1.toml", "--env-file", env,
                "--etc-config-dir", directory.path("etc"), "--show-origin",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("listen_port = 50100  # \(root)/config/default.toml:2\n"))
            #expect(result.stdout.contains("timeout_secs = 60  # \(root)/config/compose_1.toml:2\n"))
            #expect(result.stdout.contains("my_id = 3  # env KMS_CORE__THRESHOLD__MY_ID\n"))

            let bad = try directory.write("bad.env", "KMS_CORE__SERVICE__LISTEN_PORT=70000\n")
            let refused = try CLI.run([
                "effective", "--workdir", root, "--config-file", "config/compose_1.toml", "--env-file", bad,
            ])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("KMS_CORE__SERVICE__LISTEN_PORT=70000 sets service.listen_port"))
        }
    }

    @Test func effectiveURLIsLoopbackOnlyUnlessAllowed() throws {
        let refused = try CLI.run(["effective", "--url", "http://192.0.2.1:9464/config"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("pass --allow-remote"))
    }

    @Test func validateAndCheckJudgeTheTemplateWithThePartysEnvironment() throws {
        try withTemporaryDirectory { directory in
            let template = try directory.write(
                "kms-core-threshold.toml",
                try Self.party1.replacingOccurrences(of: "my_id = 1", with: "my_id = 0"))
            let env = try directory.write("party2.env", "KMS_CORE__THRESHOLD__MY_ID=2\n")
            // The corpus config's certs/ are not here: judged without them (CertificateCommandTests has them).
            let alone = try CLI.run(["validate", "--no-certificates", template])
            #expect(alone.status == 1)
            let withEnv = try CLI.run(["validate", "--no-certificates", "--env-file", env, template])
            #expect(withEnv.status == 0, "\(withEnv.stdout)\(withEnv.stderr)")

            let reference = try directory.write("ref.toml", try Self.party1)
            let check = try CLI.run(["check", reference, template, "--env-file", env])
            #expect(check.status == 1)
            #expect(check.stdout.contains("threshold.my_id  1 → 2  (\(reference):"))
            #expect(check.stdout.contains("→ set by env `KMS_CORE__THRESHOLD__MY_ID`)"))
        }
    }

    @Test func renderRefusesUnsetVariablesAndWritesOnlyValidResults() throws {
        try withTemporaryDirectory { directory in
            let text = try Self.party1.replacingOccurrences(of: "my_id = 1", with: "my_id = ${PARTY_ID}")
            let template = try directory.write("kms-server.toml.tpl", text)
            let line =
                text.split(separator: "\n", omittingEmptySubsequences: false)
                .firstIndex { $0.contains("${PARTY_ID}") }! + 1
            let output = directory.path("kms-server.toml")

            let unset = try CLI.run(["render", template, "--output", output])
            #expect(unset.status == 2)
            #expect(unset.stderr.contains("\(template):\(line): variable PARTY_ID is not set"))
            #expect(!FileManager.default.fileExists(atPath: output))

            let zero = try directory.write("zero.env", "PARTY_ID=0\n")
            let invalid = try CLI.run(["render", template, "--env-file", zero, "--output", output])
            #expect(invalid.status == 1)
            #expect(invalid.stderr.contains("threshold.my_id"))
            #expect(!FileManager.default.fileExists(atPath: output))

            let two = try directory.write("two.env", "PARTY_ID=2\n")
            let rendered = try CLI.run(["render", template, "--env-file", two, "--output", output])
            #expect(rendered.status == 0, "\(rendered.stderr)")
            let written = try String(contentsOfFile: output, encoding: .utf8)
            #expect(written.contains("my_id = 2\n"))
            let mode = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }
}

/// `--pid` of a process kms-drift may not read: the error names the permission needed.
@Suite("kms-drift effective --pid without permission")
struct EffectivePermissionTests {
    /// Root can drop to `nobody` with setpriv, and `nobody` can reach the built binary.
    static let canRunAsNobody: Bool = {
        guard getuid() == 0, Probe.executable(named: "setpriv") != nil else { return false }
        var directory = CLI.binary.deletingLastPathComponent().path
        while directory != "/" && !directory.isEmpty {
            var status = stat()
            guard stat(directory, &status) == 0, status.st_mode & 0o001 != 0 else { return false }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return true
    }()

    @Test(.enabled(if: canRunAsNobody, "needs root, setpriv, and a build directory other users can traverse"))
    func anotherUsersProcessNamesThePermissionNeeded() throws {
        let child = try RunningProcess("/bin/sleep", ["60"])
        defer {
            child.signal(SIGKILL)
            _ = child.waitForExit(timeout: 10)
        }
        let result = try runProcess(
            Probe.executable(named: "setpriv")!,
            [
                "--reuid=65534", "--regid=65534", "--clear-groups", CLI.binary.path, "effective", "--pid",
                String(child.processIdentifier),
            ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("of process \(child.processIdentifier)"))
        #expect(result.stderr.contains("CAP_SYS_PTRACE"))
    }
}

/// `effective --url` (libcurl, in process), against the Python stand-in for
/// kms-server's `/config`.
@Suite("kms-drift effective --url")
struct EffectiveURLTests {
    static let fixture = TestPaths.packageRoot.appendingPathComponent(
        "Tests/EffectiveConfigTests/Fixtures/kms_config_server.py")

    static let document = """
        {"service": {"listen_address": "0.0.0.0", "listen_port": 50100, "timeout_secs": 360},
         "threshold": {"my_id": 1, "peers": [{"party_id": 1, "address": "p1", "port": 50001}]},
         "private_vault": {"storage": {"s3": {"bucket": "kms-private", "prefix": null}}},
         "telemetry": null}
        """

    /// Starts the fixture serving `path`; returns it and its port.
    static func serve(_ path: String, _ extra: [String] = []) throws -> (RunningProcess, Int) {
        let server = try RunningProcess("/usr/bin/env", ["python3", fixture.path, path] + extra, stdin: nil)
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let line = server.stdoutSoFar.split(separator: "\n").first, let port = Int(line) {
                return (server, port)
            }
            usleep(20_000)
        }
        server.signal(SIGKILL)
        throw CocoaError(.fileReadUnknown)
    }

    @Test(arguments: ["string", "plain"])
    func printsWhatTheProcessRuns(_ shape: String) throws {
        try withTemporaryDirectory { directory in
            let path = try directory.write("config.json", Self.document)
            let (server, port) = try Self.serve(path, ["--as", shape])
            defer {
                server.signal(SIGKILL)
                _ = server.waitForExit(timeout: 10)
            }
            let url = "http://127.0.0.1:\(port)/config"
            let result = try CLI.run(["effective", "--url", url, "--show-origin"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("listen_port = 50100  # GET \(url)\n"))
            #expect(result.stdout.contains("[[threshold.peers]]\n"))
            #expect(result.stdout.contains("bucket = \"kms-private\""))
            #expect(!result.stdout.contains("prefix"), "null is not set")
            #expect(!result.stdout.contains("telemetry"))
        }
    }

    @Test func aSlowProcessIsATimeoutAndAClosedPortAnError() throws {
        try withTemporaryDirectory { directory in
            let path = try directory.write("config.json", Self.document)
            let (server, port) = try Self.serve(path, ["--delay", "4"])
            let url = "http://127.0.0.1:\(port)/config"
            let slow = try CLI.run(["effective", "--url", url, "--timeout", "1"])
            #expect(slow.status == 2)
            #expect(
                slow.stderr.contains(
                    "cannot read the running configuration from \(url): no answer within 1 s"))
            server.signal(SIGKILL)
            _ = server.waitForExit(timeout: 10)
            let closed = try CLI.run(["effective", "--url", url, "--timeout", "2"])
            #expect(closed.status == 2)
            #expect(closed.stderr.contains("cannot read the running configuration from \(url)"))
        }
    }
}
