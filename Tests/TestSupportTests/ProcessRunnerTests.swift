import Foundation
import TestSupport
import Testing

/// The shared process runner: output of any size on both pipes, stdin, environment, working
/// directory, time limit, and a child observed while it runs.
@Suite("process runner")
struct ProcessRunnerTests {
    @Test("a child writing 2 MiB to stderr before 2 MiB to stdout does not hang, and every byte arrives")
    func largeOutputOnBothPipes() throws {
        // The pipes hold 64 KiB: reading stdout to its end before stderr would block forever here.
        let result = try runProcess(
            "/bin/sh",
            ["-c", "head -c 2097152 /dev/zero | tr '\\0' e >&2; head -c 2097152 /dev/zero | tr '\\0' o"],
            timeout: 60)
        #expect(result.status == 0)
        #expect(result.standardError.count == 2_097_152)
        #expect(result.standardOutput.count == 2_097_152)
        #expect(result.standardError.allSatisfy { $0 == UInt8(ascii: "e") })
        #expect(result.standardOutput.allSatisfy { $0 == UInt8(ascii: "o") })
    }

    @Test("stdin bytes reach the child, environment replaces the inherited one, the working directory is set")
    func inputEnvironmentDirectory() throws {
        let input = randomBytes(300_000, seed: 42)
        let echoed = try runProcess("/bin/cat", [], stdin: input)
        #expect(echoed.standardOutput == input)

        try withTemporaryDirectory { directory in
            let result = try runProcess(
                "/bin/sh", ["-c", "echo \"$ONLY\"; echo \"${HOME-unset}\"; pwd; echo oops >&2; exit 3"],
                environment: ["ONLY": "x y"], currentDirectory: directory.url)
            #expect(result.status == 3)
            #expect(!result.terminatedBySignal)
            let real = URL(fileURLWithPath: directory.path).resolvingSymlinksInPath().path
            #expect(result.stdout == "x y\nunset\n\(real)\n")
            #expect(result.stderr == "oops\n")
        }
    }

    @Test("a child past its time limit is killed and the runner throws with what it wrote")
    func timeout() throws {
        let start = Date()
        #expect {
            try runProcess("/bin/sh", ["-c", "echo started; exec sleep 30"], timeout: 0.5)
        } throws: { error in
            guard let timedOut = error as? ProcessTimedOut else { return false }
            return timedOut.stdoutSoFar == "started\n"
                && "\(timedOut)".contains("did not finish within 0.5 s")
        }
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test("a running child: output observed before its end, a signal reported as such")
    func running() throws {
        let child = try RunningProcess("/bin/sh", ["-c", "echo ready; exec sleep 30"])
        #expect(child.waitForOutput(containing: "ready", timeout: 10))
        #expect(child.isRunning)
        #expect(child.waitForExit(timeout: 0.1) == nil)
        child.signal(SIGKILL)
        let result = try child.wait(timeout: 10)
        #expect(result.terminatedBySignal)
        #expect(result.status == SIGKILL)
    }
}
