import CSQLite
import FileSystem

/// Everything that can go wrong in the snapshot store, worded for the operator who has to act on it.
///
/// Cases carry the context an operator needs (path, errno meaning, SQLite result code, SQL text).
/// Bound SQL values are never part of an error: they can be file contents or secrets.
package enum SnapshotStoreError: Error, CustomStringConvertible, Sendable {
    /// The directory that should hold the database does not exist; the store never creates parents.
    case databaseDirectoryMissing(path: String)
    /// The database file could not be opened or created (permissions, read-only directory, …).
    case cannotOpenDatabase(path: String, reason: String)
    /// The file exists but is not an SQLite database, or SQLite found it damaged.
    case notADatabase(path: String, sqliteMessage: String)
    /// The database was written by a newer kms-drift whose schema this build does not know.
    case schemaTooNew(path: String, found: Int, supported: Int)
    /// Another connection holds the write lock longer than the busy timeout.
    case databaseBusy(path: String, waitedMilliseconds: Int)
    /// The disk (or quota) filled up during a write; the transaction was rolled back.
    case diskFull(path: String, operation: String)
    /// The file system refused a write to the database (read-only mount or directory).
    case databaseReadOnly(path: String, sqliteMessage: String)
    /// Any other SQLite failure: extended result code, SQLite's message and the SQL text (never bound values).
    case sqlite(path: String, code: Int32, message: String, sql: String?)
    /// The directory to snapshot is missing, not a directory, or unreadable.
    case watchedDirectoryUnavailable(path: String, reason: String)
    /// A directory kms-drift refuses to watch: `/`, a kernel pseudo file system, or one that holds
    /// the database (a snapshot would record the database's own writes and report drift forever).
    case watchedDirectoryRefused(path: String, reason: String)
    /// An existing database, `-wal`, `-shm` or event log is readable by group or others and could
    /// not be made owner-only; it holds every recorded file, private keys included.
    case loosePermissions(path: String, mode: UInt32, reason: String)
    /// The store holds snapshots but no baseline: drift cannot be measured, and a new snapshot must
    /// not silently become the reference.
    case baselineMissing(path: String, snapshotCount: Int)
    /// A snapshot reference (`#12`, `latest`, `baseline`) that names no snapshot.
    case snapshotNotFound(reference: String)
    /// A path asked for is not part of the snapshot.
    case fileNotInSnapshot(snapshot: Int64, path: String)
    /// The file is in the snapshot, but its bytes were not stored (too big, unreadable, symlink, …).
    case contentNotStored(path: String, reason: String)
    /// No blob with this SHA-256 is stored.
    case blobNotFound(hash: String)
    /// A stored blob could not be decoded (damaged compression stream or wrong length).
    case blobDamaged(hash: String, reason: String)
    /// A snapshot's list of files no longer matches what was recorded when it was taken: a file could
    /// be missing, renamed or pointed at another file's content. Restoring or showing from it is refused.
    case manifestDamaged(snapshot: Int64, reason: String)
    /// A restore was refused because the path would land outside the target directory.
    case unsafeRestorePath(path: String, reason: String)
    /// A file-system call failed while restoring.
    case restoreFailed(path: String, operation: String, reason: String)
    /// A caller-supplied option or argument is invalid.
    case invalidArgument(String)
    /// The hash chain was removed or its schema set back behind kms-drift's back (see
    /// `ChainDamageCheck`): the store is not opened, so nothing re-chains or signs the edited history.
    case chainDamaged(path: String, reason: String)
    /// A signing key is set but the chain does not verify, so no new link is signed on top of it.
    case chainUnverified(problems: [String])

    package var description: String {
        switch self {
        case .databaseDirectoryMissing(let path):
            return
                "the directory \(path) for the database does not exist; create it (mode 0700) or choose another "
                + "database path — kms-drift does not create parent directories"
        case .cannotOpenDatabase(let path, let reason):
            return "cannot open the database \(path) (\(reason)); check the path and its permissions"
        case .notADatabase(let path, let message):
            return "the database file \(path) is not a kms-drift database or is corrupt (\(message)); "
                + "move it aside and let kms-drift create a new one, or restore it from a backup"
        case .schemaTooNew(let path, let found, let supported):
            return
                "the database \(path) has schema version \(found), but this kms-drift knows versions up to "
                + "\(supported); upgrade kms-drift before using this database"
        case .databaseBusy(let path, let waited):
            return "the database \(path) is locked by another kms-drift process; waited "
                + "\(formatSeconds(milliseconds: waited)) — try again later"
        case .diskFull(let path, let operation):
            return
                "disk full while \(operation) in \(path); nothing was recorded — free some space and try again"
        case .databaseReadOnly(let path, let message):
            return "the database \(path) cannot be written (\(message)); check that its directory is writable"
        case .sqlite(let path, let code, let message, let sql):
            var text = "SQLite error \(code) on \(path): \(message)"
            if let sql { text += " — while executing `\(sql)`" }
            return text
        case .watchedDirectoryUnavailable(let path, let reason):
            return "cannot snapshot \(path): \(reason); check that the directory exists and is readable"
        case .watchedDirectoryRefused(let path, let reason):
            return "refusing to watch \(path): \(reason)"
        case .loosePermissions(let path, let mode, let reason):
            return
                "\(path) is readable by group or others (mode 0\(String(mode & 0o7777, radix: 8))) and could "
                + "not be made owner-only (\(reason)); it holds recorded files, private keys included — run "
                + "`chmod 600 \(path)` as its owner"
        case .baselineMissing(let path, let count):
            if count == 0 {
                return
                    "the database \(path) holds no snapshot yet, so no baseline; take one with `kms-drift snapshot`"
            }
            // No count in the text: the daemon raises an error once per distinct message.
            return "the database \(path) holds snapshots but no baseline, so drift "
                + "cannot be measured (was the baseline deleted, or lost with the -wal file?); accept a state as "
                + "the reference with `kms-drift baseline set <#id|latest> --reason \"…\"` (see `kms-drift list`)"
        case .snapshotNotFound(let reference):
            return "no snapshot \(reference) in the database; list snapshots to see which exist"
        case .fileNotInSnapshot(let snapshot, let path):
            return "the file \(path) is not in snapshot #\(snapshot)"
        case .contentNotStored(let path, let reason):
            return "the content of \(path) was not stored (\(reason)); only its hash is known"
        case .blobNotFound(let hash):
            return "no stored content has the SHA-256 \(hash)"
        case .blobDamaged(let hash, let reason):
            return
                "the stored content \(hash) is damaged (\(reason)); run verify and restore the database from a backup"
        case .manifestDamaged(let snapshot, let reason):
            return "the list of files of snapshot #\(snapshot) is damaged (\(reason)): files could come back "
                + "missing, renamed or with another file's content, so nothing is taken from it; run verify, "
                + "and restore from another snapshot or from a backup of the database"
        case .unsafeRestorePath(let path, let reason):
            return "refusing to restore \(path): \(reason)"
        case .restoreFailed(let path, let operation, let reason):
            return
                "restoring \(path) failed at \(operation): \(reason); files already restored were left in place"
        case .invalidArgument(let message):
            return message
        case .chainDamaged(let path, let reason):
            return "the history in \(path) was tampered with: \(reason); kms-drift does not re-chain or "
                + "sign it — keep the file as evidence, compare it with your exports and witnessed heads "
                + "(`kms-drift verify --witness`), and start a new store from a checked export"
        case .chainUnverified(let problems):
            let shown = problems.prefix(3).joined(separator: "; ")
            let more = problems.count > 3 ? " (and \(problems.count - 3) more)" : ""
            return "the hash chain does not verify, so this snapshot was not recorded and nothing was "
                + "signed on top of it: \(shown)\(more); run `kms-drift verify --public-key` for the whole list"
        }
    }
}

private func formatSeconds(milliseconds: Int) -> String {
    if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
    return "\(Double(milliseconds) / 1000) s"
}
