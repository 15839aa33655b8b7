/// What can go wrong exporting, importing or backing up a snapshot, worded for the operator.
package enum BackupError: Error, CustomStringConvertible, Sendable {
    /// libarchive could not be loaded (the export and import need it at run time).
    case archiveLibraryMissing(String)
    /// libarchive refused an operation.
    case archive(operation: String, message: String)
    /// Writing the output failed.
    case cannotWrite(path: String, reason: String)
    /// Reading the input failed.
    case cannotRead(path: String, reason: String)
    /// An unencrypted export of a snapshot that holds secrets, without `--plain`.
    case secretsInPlainExport(examples: [String])
    /// The input is encrypted but no identity was given.
    case identityNeeded(path: String)
    /// None of the identities given decrypts the input.
    case wrongIdentity(path: String)
    /// The archive is not a kms-drift export, or not one this version reads.
    case notAnExport(path: String, reason: String)
    /// The archive's content does not match its own manifest (or its manifest its chain hash).
    case damaged(path: String, reason: String)
    /// The daemon's backup directory cannot take a backup (missing mount, full, read-only).
    case backupDirectory(directory: String, reason: String)
    /// A name in the snapshot cannot go into the archive.
    case unexportable(path: String, reason: String)
    /// An export that is intact but that kms-drift will not take in (too big, not restorable).
    case refused(path: String, reason: String)

    package var description: String {
        switch self {
        case .archiveLibraryMissing(let reason):
            return
                "cannot load libarchive (\(reason)); install Debian's libarchive13 (apt-get install libarchive13)"
        case .archive(let operation, let message):
            return "libarchive failed to \(operation): \(message)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason); nothing was left behind"
        case .cannotRead(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .secretsInPlainExport(let examples):
            return "refusing to write an unencrypted export: the snapshot holds secrets ("
                + examples.joined(separator: ", ")
                + "); encrypt it with --recipient age1… (or --recipients-file FILE), or pass --plain if the "
                + "destination is as safe as the node"
        case .identityNeeded(let path):
            return "\(path) is encrypted with age; give the identity that decrypts it with --identity KEYFILE"
        case .wrongIdentity(let path):
            return "none of the identities given can decrypt \(path) (it was encrypted to other recipients); "
                + "nothing was written"
        case .notAnExport(let path, let reason):
            return "\(path) is not a kms-drift export: \(reason)"
        case .damaged(let path, let reason):
            return "\(path) is damaged or was altered: \(reason); nothing was written"
        case .backupDirectory(let directory, let reason):
            return
                "cannot write a backup into \(directory): \(reason); check that the off-host mount is there "
                + "and writable (kms-drift tries again every cycle)"
        case .unexportable(let path, let reason):
            return "cannot export \(path): \(reason)"
        case .refused(let path, let reason):
            return "refusing to import \(path): \(reason); nothing was kept"
        }
    }
}
