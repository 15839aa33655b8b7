import Foundation

@testable import SnapshotStore

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
