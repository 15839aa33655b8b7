import TestSupport

@testable import SnapshotRestore
@testable import SnapshotStore

extension SnapshotStore {
    /// Runs one SQL query returning an integer, for assertions on the schema.
    func integer(_ sql: String) throws -> Int64? {
        try database.scalarInt64(sql)
    }
}

extension RestoreAction {
    var isDirectory: Bool {
        if case .directory = operation { return true }
        return false
    }
}
