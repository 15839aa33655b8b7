import Foundation

/// Where the package and its read-only test data are, found from this file's path so the
/// tests work from any checkout with `shared/` beside the package (CI and the work tree).
public enum TestPaths {
    /// The package root (the directory of `Package.swift`).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the package: corpus, toml-test, the workload generator. Read only.
    public static let shared: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// The shared workload generator, `bench/gen_workload.py`.
    public static let workloadGenerator: URL = shared.appendingPathComponent("bench/gen_workload.py")
}

/// Runs `python3 bench/gen_workload.py` from the shared data.
public enum WorkloadGenerator {
    /// Runs the generator with `arguments` and returns what it printed; throws when it fails.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> ProcessResult {
        let result = try runProcess(
            "/usr/bin/env", ["python3", TestPaths.workloadGenerator.path] + arguments)
        guard result.status == 0, !result.terminatedBySignal else {
            throw WorkloadGeneratorError(arguments: arguments, result: result)
        }
        return result
    }

    /// The text the generator prints for `arguments`.
    public static func text(_ arguments: [String]) throws -> String {
        try run(arguments).stdout
    }
}

/// The workload generator exited with an error.
public struct WorkloadGeneratorError: Error, CustomStringConvertible {
    public let arguments: [String]
    public let result: ProcessResult

    public var description: String {
        "gen_workload.py \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)"
    }
}
