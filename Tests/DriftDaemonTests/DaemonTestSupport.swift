import Foundation

/// A temporary directory per test, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kms-drift-daemon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes an executable script and returns its path.
    @discardableResult
    func script(_ name: String, _ body: String) throws -> String {
        let path = file(name)
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    func read(_ name: String) -> String? { try? String(contentsOfFile: file(name), encoding: .utf8) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
