import Foundation
import TestSupport
import Testing

@testable import DriftDaemon

/// The hook runner against real processes: timeouts, failures, children that ignore their
/// input or flood their output, and argv that a shell would have misread.
@Suite("HookRunner", .temporaryDirectory)
struct HookRunnerTests {
    let runner = HookRunner(gracePeriod: .milliseconds(300))

    @Test("stdin is the payload from a removed 0600 file; the environment is added; exit 0 is success")
    func payloadAndEnvironment() throws {
        let directory = try TemporaryDirectory.current()
        let hook = try directory.script(
            "hook",
            "cat > \"$OUT/stdin\"; stat -L -c %a /proc/self/fd/0 > \"$OUT/mode\"; readlink /proc/self/fd/0 > \"$OUT/link\"; echo \"$KMS_DRIFT_EVENT\" > \"$OUT/env\"; env > \"$OUT/all\""
        )
        let result = try runner.run(
            command: [hook], environment: ["OUT": directory.path, "KMS_DRIFT_EVENT": "drift"],
            input: Array("{\"event\":\"drift\"}\n".utf8), timeout: .seconds(10))
        #expect(result.termination == .exited(0))
        #expect(result.succeeded)
        #expect((try? directory.readText("stdin")) == "{\"event\":\"drift\"}\n")
        #expect((try? directory.readText("mode")) == "600\n")
        #expect((try? directory.readText("link"))?.contains("(deleted)") == true)
        #expect((try? directory.readText("env")) == "drift\n")
        #expect((try? directory.readText("all"))?.contains("NOTIFY_SOCKET=") == false)
    }

    @Test("a hook that exits 1 is a failure with its status and last output")
    func exitOne() throws {
        let result = try runner.run(
            command: ["/bin/sh", "-c", "echo 'webhook said 503' >&2; exit 1"], environment: [:], input: [],
            timeout: .seconds(10))
        #expect(result.termination == .exited(1))
        #expect(!result.succeeded)
        #expect(result.statusText == "1")
        #expect(result.output.contains("webhook said 503"))
    }

    @Test("a hook that hangs, even one that ignores SIGTERM, is killed at its timeout")
    func hangingHook() throws {
        let started = ContinuousClock.now
        let result = try runner.run(
            command: ["/bin/sh", "-c", "trap '' TERM; sleep 30 & wait; sleep 30"], environment: [:],
            input: [],
            timeout: .seconds(1))
        let elapsed = ContinuousClock.now - started
        #expect(result.termination == .timedOut)
        #expect(result.statusText == "timeout")
        #expect(elapsed >= .seconds(1))
        #expect(elapsed < .seconds(5))
    }

    @Test("a hook that never reads a large stdin, or floods stdout, does not disturb the runner")
    func ignoredInputAndFloodedOutput() throws {
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: 8 << 20)
        let ignoring = try runner.run(
            command: ["/bin/true"], environment: [:], input: payload, timeout: .seconds(10))
        #expect(ignoring.termination == .exited(0))
        let flooding = try runner.run(
            command: ["/bin/sh", "-c", "head -c 50000000 /dev/zero | tr '\\0' y"], environment: [:],
            input: payload,
            timeout: .seconds(20))
        #expect(flooding.termination == .exited(0))
        #expect(flooding.output.utf8.count == runner.outputLimit)
    }

    @Test("spaces, quotes and $(…) in the program path and arguments are data, never shell")
    func noShell() throws {
        let directory = try TemporaryDirectory.current()
        let hook = try directory.script(
            "my hook \"quoted\" $(touch pwned).sh", "printf '%s' \"$1\" > \"$OUT/arg\"")
        let argument = "peer \"3\"; $(touch \(directory.path)/pwned2) `id`"
        let result = try runner.run(
            command: [hook, argument], environment: ["OUT": directory.path], input: [], timeout: .seconds(10))
        #expect(result.termination == .exited(0))
        #expect((try? directory.readText("arg")) == argument)
        #expect(!FileManager.default.fileExists(atPath: directory.path("pwned")))
        #expect(!FileManager.default.fileExists(atPath: directory.path("pwned2")))
    }

    @Test("a missing program is an error saying which")
    func missingProgram() {
        #expect(throws: HookError.self) {
            try runner.run(command: ["/nonexistent/hook"], environment: [:], input: [], timeout: .seconds(1))
        }
    }
}
