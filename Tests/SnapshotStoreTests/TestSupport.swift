import Foundation
import Glibc
import Testing

@testable import SnapshotStore

/// A fresh directory under /tmp for one test; call `remove()` (usually in a `defer`) when done.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/snapshot-store-test-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed: \(String(cString: strerror(errno)))")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func remove() {
        _ = try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/relative`, creating nothing.
    func url(_ relative: String) -> String { path + "/" + relative }

    /// Writes `bytes` at `relative` (creating parent directories) and sets `mode`.
    func write(_ relative: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
        let full = url(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        #expect(chmod(full, mode) == 0)
    }

    func write(_ relative: String, _ text: String, mode: mode_t = 0o644) throws {
        try write(relative, Array(text.utf8), mode: mode)
    }

    func read(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: url(relative))))
    }

    func mode(_ relative: String) -> mode_t {
        var status = stat()
        lstat(url(relative), &status)
        return status.st_mode & 0o7777
    }
}

/// Deterministic pseudo-random bytes (xorshift), incompressible like key material.
func randomBytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state)
    }
}

extension SnapshotStore {
    /// Runs one SQL query returning an integer, for assertions on the schema.
    func integer(_ sql: String) throws -> Int64? {
        try database.scalarInt64(sql)
    }
}

/// Runs a command from an argv array; returns its exit status.
@discardableResult
func run(_ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    } catch {
        return -1
    }
}

extension RestoreAction {
    var isDirectory: Bool {
        if case .directory = operation { return true }
        return false
    }
}

/// Runs SQL on a database file with the sqlite3 command-line shell, as an attacker or a disk would
/// change it behind kms-drift's back. Returns the shell's exit status.
@discardableResult
func sqlite(_ database: String, _ sql: String) -> Int32 {
    run(["/usr/bin/sqlite3", database, sql])
}
