import Foundation
import TestSupport
import Testing

/// Runs the built `kms-drift` binary end to end, as an operator or a CI job would.
enum CLI {
    /// The binary sits beside the test bundle in the build directory.
    static var binary: URL {
        let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testExecutable.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("kms-drift")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return TestPaths.packageRoot.appendingPathComponent(".build/debug/kms-drift")
    }

    /// This process's environment without `NO_COLOR` (colour is decided by the terminal test),
    /// with `overrides` applied.
    static func environment(_ overrides: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        // Never the machine's installed /etc/kms-drift/kms-drift.toml: a test names its own.
        environment["KMS_DRIFT_CONFIG"] = ""
        environment.merge(overrides) { _, new in new }
        return environment
    }

    /// Runs `kms-drift arguments` to its end.
    static func run(_ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil)
        throws -> ProcessResult
    {
        try runProcess(
            binary.path, arguments, environment: Self.environment(environment),
            currentDirectory: currentDirectory)
    }
}
