import CSQLite
import FileSystem

/// How paths and link targets are stored: as text when their bytes are UTF-8 (every database
/// written before kms-drift knew better holds only these), as a blob of the exact bytes otherwise.
/// The two never compare equal in SQLite, and each name is always bound the same way, so a
/// lookup finds exactly the row of those bytes.
extension SQLValue {
    static func path(_ key: String) -> SQLValue {
        let bytes = PathName.bytes(key)
        if let text = String(validating: bytes, as: UTF8.self) { return .text(text) }
        return .blob(bytes)
    }
}

extension Statement {
    /// The `PathName` key of a path or link target column written with ``SQLValue/path(_:)``.
    func pathKey(_ column: Int32) -> String {
        if sqlite3_column_type(handle, column) == SQLITE_BLOB { return PathName.key(blob(column)) }
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return PathName.key(UnsafeBufferPointer(start: pointer, count: count))
    }
}
