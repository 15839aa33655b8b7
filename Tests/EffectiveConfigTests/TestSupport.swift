import Foundation
import TestSupport
import Testing

@testable import EffectiveConfig

/// A temporary directory for one test (TestSupport's), given as a path; removed when the body
/// returns or throws.
func withTemporaryRoot<T>(_ body: (String) throws -> T) throws -> T {
    try withTemporaryDirectory { try body($0.path) }
}

/// Writes `text` at `path`, creating its directories (TestSupport's `writeFile`, for a path).
@discardableResult
func write(_ text: String, to path: String) throws -> String {
    try writeFile(text, to: URL(fileURLWithPath: path))
}

let sharedCorpus = TestPaths.shared.appendingPathComponent("corpus/kms").path

/// The corpus's party 1 config, a real kms-server file.
func corpusParty1() throws -> String {
    try String(contentsOfFile: sharedCorpus + "/core__service__config__default_1.toml", encoding: .utf8)
}

extension EffectiveConfiguration {
    /// Origins of every leaf by dotted path, for assertions.
    var originsByPath: [String: String] {
        Dictionary(uniqueKeysWithValues: leaves.map { ($0.path.description, $0.origin.description) })
    }
}

/// A source selection rooted in a test directory, with a test `/etc/config`.
func sources(
    in directory: String, configFile: String? = nil, envFiles: [String] = [], runMode: String? = nil
) -> EffectiveSources {
    EffectiveSources(
        configFile: configFile, workingDirectory: directory, runMode: runMode, envFiles: envFiles,
        etcConfigDirectory: directory + "/etc-config")
}

/// The Python stand-in for kms-server's `/config` endpoint (Fixtures/kms_config_server.py),
/// serving the JSON document in `documentPath`; stopped by closing its stdin.
final class ConfigServerFixture {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/kms_config_server.py").path

    let process = Process()
    private let input = Pipe()
    let port: Int

    var url: String { "http://127.0.0.1:\(port)/config" }

    init(documentPath: String, shape: String = "string", delay: Double = 0, extra: [String] = []) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", Self.script, documentPath, "--as", shape, "--delay", String(delay)] + extra
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty,
            byte != Data("\n".utf8)
        {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile)
        }
        self.port = port
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { stop() }
}
