import Foundation
import TOML
import Testing

@testable import DriftCore

/// Paths and helpers shared by the DriftCore tests.
enum TestSupport {
    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the package (read-only in CI).
    static let shared: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    static var generator: String { shared.appendingPathComponent("bench/gen_workload.py").path }

    static func parse(_ text: String, file: String = "test.toml") throws -> TOMLTable {
        try TOMLParser().parse(Array(text.utf8), fileName: file)
    }

    static func diff(_ reference: String, _ current: String, ignoring: [String] = []) throws -> [Difference] {
        let patterns = try ignoring.map { try KeyPathPattern($0) }
        return ConfigDiff(ignoring: patterns).differences(from: try parse(reference), to: try parse(current))
    }

    struct ProcessResult {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs a program and collects its output; used for the Python workload generator.
    static func run(_ arguments: [String]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory, removed by the caller with `removeItem`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kms-drift-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
