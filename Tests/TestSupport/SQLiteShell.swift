/// Runs SQL on a database file with the sqlite3 command-line shell, as an attacker or a disk would
/// change it behind kms-drift's back. Returns the shell's exit status (-1 when it cannot run).
@discardableResult
public func sqlite(_ database: String, _ sql: String) -> Int32 {
    (try? runProcess("/usr/bin/sqlite3", [database, sql]))?.status ?? -1
}
