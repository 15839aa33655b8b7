import Age
import FileSystem
import SnapshotStore

/// The daemon's off-host backups (`[backup]`): after a snapshot whose files differ from the last
/// one backed up, an encrypted export is written into `directory` atomically (temporary file,
/// fsync, rename), and the oldest exports beyond `keep` are removed.
///
/// An unchanged snapshot writes nothing: the directory keeps the last `keep` distinct states,
/// as the operators' guide's dated copies did, not the last `keep` minutes. A backup deleted
/// from the directory is written again at the next cycle.
package struct BackupDirectory: Sendable {
    package var directory: String
    package var recipients: [AgeRecipient]
    package var keep: Int

    /// Where the last backup's manifest hash and file name are kept in the store.
    static let stateName = "backup.last"
    /// Exports this directory manages: `<host>-<store identity>-<chain hash>-<UTC time>.tar.zst.age`.
    static let suffix = ".tar.zst.age"

    package init(directory: String, recipients: [AgeRecipient], keep: Int) {
        self.directory = directory
        self.recipients = recipients
        self.keep = keep
    }

    /// What a backup did.
    package enum Outcome: Sendable, Equatable {
        /// A new export was written (its path), and older ones removed (their names).
        case written(path: String, removed: [String])
        /// The snapshot's files are those of the last backup, which is still in the directory.
        case unchanged(path: String)
    }

    /// Backs up `snapshot` unless the last backup holds the same files; then rotates.
    package func backUp(_ snapshot: SnapshotID, from store: SnapshotStore) throws -> Outcome {
        guard let link = try store.chainLink(of: .id(snapshot)) else {
            throw BackupError.unexportable(path: snapshot.description, reason: "it has no chain link")
        }
        if let last = try store.namedValue(Self.stateName)?.value.split(separator: " ", maxSplits: 1),
            last.count == 2, last[0] == link.manifestHash.hex, FileContents.exists(String(last[1]))
        {
            return .unchanged(path: String(last[1]))
        }
        let options = ExportOptions(recipients: recipients, compress: true)
        let identity = try store.storeIdentity()
        let path = directory + "/" + SnapshotExporter.fileName(for: link, store: identity, options: options)
        do {
            _ = try SnapshotExporter.export(.id(snapshot), from: store, to: .file(path), options: options)
        } catch BackupError.cannotWrite(_, let reason) {
            // Named by the directory, not the file: the same failure reads the same every cycle.
            throw BackupError.backupDirectory(directory: directory, reason: reason)
        }
        try store.setNamedValue(link.manifestHash.hex + " " + path, named: Self.stateName)
        return .written(path: path, removed: try rotate(store: identity))
    }

    /// Removes this store's exports beyond the newest `keep` (by the UTC time in their names,
    /// oldest first); returns their names. Other files, and the exports of any other store in a
    /// shared directory (another node, or the dead node a rebuild came from, whatever its host
    /// name), are never touched.
    func rotate(store: StoreIdentity) throws -> [String] {
        let names: [String]
        do {
            names = try DirectoryListing.names(in: directory)
        } catch {
            throw BackupError.backupDirectory(directory: directory, reason: error.description)
        }
        var exports: [(time: String, name: String)] = names.compactMap { name in
            Self.time(inName: name, store: store).map { ($0, name) }
        }
        exports.sort { $0.time > $1.time || ($0.time == $1.time && $0.name > $1.name) }
        var removed: [String] = []
        for old in exports.dropFirst(keep) where FileRemoval.removeFile(directory + "/" + old.name) {
            removed.append(old.name)
        }
        return removed
    }

    /// The UTC time in the name of an export of `store`
    /// (`host-<store>-<12 hex digits>-20261130T101500.123456789Z.tar.zst.age`); `nil` for any other name.
    static func time(inName name: String, store: StoreIdentity) -> String? {
        guard name.hasSuffix(suffix) else { return nil }
        let parts = name.dropLast(suffix.count).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4 else { return nil }
        let time = parts[parts.count - 1]
        let chain = parts[parts.count - 2]
        let identity = parts[parts.count - 3]
        guard identity == store.description, chain.count == 12, chain.allSatisfy(\.isHexDigit),
            time.count == 26, time.hasSuffix("Z")
        else { return nil }
        return String(time)
    }
}
