import CSQLite
import FileSystem

/// One SQLite connection with the settings kms-drift relies on: WAL, busy timeout, foreign keys,
/// extended result codes, and files created 0600.
///
/// Not thread-safe and deliberately not `Sendable`: the owner (``SnapshotStore``) uses it from one
/// thread or serial queue at a time.
final class Database {
    let path: String
    let handle: OpaquePointer
    let busyTimeoutMilliseconds: Int
    private var statementCache: [String: Statement] = [:]
    /// What was done to files found with loose permissions, for the caller to show.
    private(set) var permissionNotices: [String] = []

    /// Opens (creating if needed) the database at `path`. The parent directory must already exist.
    init(path: String, busyTimeoutMilliseconds: Int) throws {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        let directory = PathText.directory(of: path)
        do {
            _ = try FileStatus.of(directory)
        } catch {
            if error.meansVanished { throw SnapshotStoreError.databaseDirectoryMissing(path: directory) }
            throw SnapshotStoreError.cannotOpenDatabase(path: path, reason: error.description)
        }
        // An existing database, -wal or -shm readable by others is made owner-only before it is used.
        var notices: [String] = []
        for file in [path, path + "-wal", path + "-shm"] {
            if let notice = try OwnerOnlyFiles.tighten(file) { notices.append(notice) }
        }
        // A new database file is created here, owner-only (0600 whatever the umask), before SQLite
        // opens it; SQLite gives -wal and -shm the mode of the main file. The process-wide umask is
        // never touched: a file another thread creates meanwhile (a hook, a restore) keeps its mode.
        switch OpenFile.createExclusively(path, mode: 0o600) {
        case .success(let created):
            OpenFile.close(created)
        case .failure(let code) where !code.isAlreadyExists:
            throw SnapshotStoreError.cannotOpenDatabase(path: path, reason: code.description)
        case .failure:
            break  // an existing database: SQLite opens it
        }
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let reason = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            let systemErrno = connection.map { sqlite3_system_errno($0) } ?? 0
            // > Whether or not an error occurs when it is opened, resources associated with the database
            // > connection handle should be released by passing it to sqlite3_close().
            sqlite3_close(connection)
            let detail = systemErrno != 0 ? POSIX.errorText(systemErrno) : reason
            throw SnapshotStoreError.cannotOpenDatabase(path: path, reason: detail)
        }
        self.handle = connection
        self.permissionNotices = notices
        sqlite3_extended_result_codes(connection, 1)
        sqlite3_busy_timeout(connection, Int32(clamping: busyTimeoutMilliseconds))
        do {
            // The first read is where SQLite notices a file that is not a database.
            try execute("PRAGMA foreign_keys = ON")
            _ = try scalarInt64("PRAGMA schema_version")
            // Blobs overflow into pages; the last page of each is half empty on average. 1 KiB pages keep
            // that waste near 0.5 KiB per stored file (4 KiB pages cost ~7 % more on the benchmark tree).
            // Only takes effect on a new, empty database (before WAL is switched on).
            try execute("PRAGMA page_size = 1024")
            let mode = try prepare("PRAGMA journal_mode = WAL").firstRow { $0.text(0) }
            if mode?.lowercased() != "wal" {
                throw SnapshotStoreError.cannotOpenDatabase(
                    path: path, reason: "SQLite refused WAL mode (journal mode is \(mode ?? "unknown"))")
            }
            // In WAL mode, NORMAL is safe against a process crash (kill -9); only a power loss may
            // lose the last commits, never corrupt the file.
            try execute("PRAGMA synchronous = NORMAL")
            csqlite_disable_checkpoint_on_close(connection)
        } catch {
            statementCache.removeAll()
            sqlite3_close_v2(connection)
            throw error
        }
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs SQL without parameters (may hold several statements).
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        sqlite3_free(message)
        guard code == SQLITE_OK else { throw error(code: code, sql: sql) }
    }

    /// A new prepared statement, owned by the caller.
    func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// A prepared statement kept for the life of the connection: for SQL run once per file.
    func cached(_ sql: String) throws -> Statement {
        if let statement = statementCache[sql] { return statement }
        let statement = try prepare(sql)
        statementCache[sql] = statement
        return statement
    }

    func scalarInt64(_ sql: String, _ values: [SQLValue] = []) throws -> Int64? {
        try cached(sql).firstRow(values) { $0.optionalInt64(0) } ?? nil
    }

    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`: the write lock is taken up front (waiting up to the
    /// busy timeout), and any error rolls everything back.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if sqlite3_get_autocommit(handle) == 0 {
                _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            }
            throw error
        }
    }

    /// Runs `body` in a read transaction so that every query sees one consistent state; inside
    /// a transaction already (an export reading many files), it joins that one.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        if sqlite3_get_autocommit(handle) == 0 { return try body() }
        try execute("BEGIN DEFERRED")
        defer { _ = sqlite3_exec(handle, "COMMIT", nil, nil, nil) }
        return try body()
    }

    /// Runs `body` in a savepoint, undoing only its own changes when it throws.
    func savepoint<T>(_ body: () throws -> T) throws -> T {
        try execute("SAVEPOINT nested")
        do {
            let result = try body()
            try execute("RELEASE nested")
            return result
        } catch {
            _ = sqlite3_exec(handle, "ROLLBACK TO nested; RELEASE nested", nil, nil, nil)
            throw error
        }
    }

    /// Translates an SQLite result code into a ``SnapshotStoreError`` an operator can act on.
    func error(code: Int32, sql: String?) -> SnapshotStoreError {
        let message = String(cString: sqlite3_errmsg(handle))
        let systemErrno = sqlite3_system_errno(handle)
        switch code & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return .databaseBusy(path: path, waitedMilliseconds: busyTimeoutMilliseconds)
        case SQLITE_FULL:
            return .diskFull(path: path, operation: "writing to the database")
        case SQLITE_NOTADB, SQLITE_CORRUPT:
            return .notADatabase(path: path, sqliteMessage: message)
        case SQLITE_READONLY:
            return .databaseReadOnly(path: path, sqliteMessage: message)
        case SQLITE_CANTOPEN:
            let reason = systemErrno != 0 ? POSIX.errorText(systemErrno) : message
            return .cannotOpenDatabase(path: path, reason: reason)
        case SQLITE_IOERR where ErrnoCode(systemErrno).meansDiskFull:
            return .diskFull(path: path, operation: "writing to the database")
        default:
            return .sqlite(path: path, code: code, message: message, sql: sql)
        }
    }
}
