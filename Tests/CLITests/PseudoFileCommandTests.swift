import Foundation
import TestSupport
import Testing

/// Every command refuses a kernel pseudo file (/proc, /sys) as input, exit 2, saying why (issue 18:
/// `check ref.toml /proc/self/status` parsed it and reported `1:5: expected "="`).
@Suite("pseudo files on the command line", .temporaryDirectory)
struct PseudoFileCommandTests {
    @Test(
        "check, validate, fingerprint, consistency, effective --env-file, --config, --secret-key-file",
        arguments: [
            ["check", "ref.toml", "/proc/self/status"],
            ["check", "/proc/self/status", "ref.toml"],
            ["validate", "/proc/self/status"],
            ["fingerprint", "/proc/self/status"],
            ["consistency", "ref.toml", "/proc/self/status"],
            ["effective", "--workdir", ".", "--etc-config-dir", "etc", "--env-file", "/proc/self/environ"],
            ["check", "ref.toml", "ref.toml", "--secret-key-file", "/proc/self/status"],
            ["list", "--config", "/proc/self/status"],
        ])
    func refused(arguments: [String]) throws {
        let directory = try TemporaryDirectory.current()
        try directory.write("ref.toml", "a = 1\n")
        let result = try CLI.run(arguments, currentDirectory: directory.url)
        #expect(result.status == 2, "\(arguments): \(result.stdout)\(result.stderr)")
        #expect(
            result.stderr.contains("is on procfs, a kernel pseudo file system"),
            "\(arguments): \(result.stderr)")
        #expect(!result.stderr.contains("expected \"=\""))
    }
}
