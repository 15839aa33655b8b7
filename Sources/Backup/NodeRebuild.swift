import Age
import FileSystem
import SigningKeys
import SnapshotRestore
import SnapshotStore

/// A node rebuilt from its backups in one pass (`kms-drift rebuild`): on a new machine, with an
/// empty watched directory, the exports of the dead node's store are imported oldest first (each
/// chained into this store, marked `import`, its own id, host and time kept in its note), the
/// newest one's real files are restored with their modes and owners (never the computed
/// `@effective/…` or `@live/…` files), and, when this store has no baseline, the newest becomes it,
/// so the next cycle compares the rebuilt directory with what the dead node ran.
package struct NodeRebuild {
    /// The exports, in any order: they are imported oldest first (by their snapshots' time).
    package var exports: [String]
    package var identities: [AgeIdentity]
    /// The watched directory: absent or empty, so a rebuild never overwrites a node's files.
    package var directory: String
    package var checks: ImportChecks
    package var keepSpecialBits: Bool
    /// Signs the imported snapshots' links in this store (`[store] signing_key`).
    package var signingKey: ChainSigningKey?

    package init(
        exports: [String], identities: [AgeIdentity], directory: String,
        checks: ImportChecks = ImportChecks(),
        keepSpecialBits: Bool = false, signingKey: ChainSigningKey? = nil
    ) {
        self.exports = exports
        self.identities = identities
        self.directory = directory
        self.checks = checks
        self.keepSpecialBits = keepSpecialBits
        self.signingKey = signingKey
    }

    /// What a rebuild did.
    package struct Outcome: Sendable {
        /// Every export imported, oldest first; the last one was restored.
        package var imported: [ImportResult]
        package var restore: RestoreReport
        /// True when the newest imported snapshot became the baseline (the store had none).
        package var baselineSet: Bool
        package var newest: ImportResult { imported[imported.count - 1] }
    }

    /// Imports, restores and sets the baseline. Throws before anything is imported when the
    /// exports come from different stores or the directory is not empty; before anything is
    /// written to the directory when the newest snapshot cannot be restored whole.
    package func run(into store: SnapshotStore) throws -> Outcome {
        guard !exports.isEmpty else {
            throw BackupError.refused(path: "the rebuild", reason: "no export was given")
        }
        var described = try exports.map { try SnapshotImporter.describe($0, identities: identities) }
        described.sort {
            ($0.sourceTakenAtNanoseconds, $0.sourceSnapshot) < (
                $1.sourceTakenAtNanoseconds, $1.sourceSnapshot
            )
        }
        let stores = Set(described.compactMap(\.sourceStore))
        if stores.count > 1 {
            throw BackupError.refused(
                path: described.map(\.path).joined(separator: ", "),
                reason: "they come from different stores (\(stores.sorted().joined(separator: ", "))): "
                    + "a rebuild brings back one node's history; give the exports of one store")
        }
        if let entry = try firstEntry(of: directory) {
            throw BackupError.refused(
                path: described[described.count - 1].path,
                reason:
                    "the watched directory \(directory) is not empty (it holds \(entry)): a rebuild fills "
                    + "an empty directory; move its files aside, or use `kms-drift restore --from` to put a "
                    + "state back over them")
        }
        var imported: [ImportResult] = []
        for export in described {
            imported.append(
                try SnapshotImporter.importSnapshot(
                    from: export.path, identities: identities, into: store, note: "rebuild",
                    signingKey: signingKey, checks: checks))
        }
        let newest = imported[imported.count - 1]
        let options = RestoreOptions(
            keepSpecialBits: keepSpecialBits, maximumFileSize: checks.maximumFileSize)
        let restorer = SnapshotRestorer(store: store)
        let plan = try restorer.plan(.id(newest.snapshot.id), into: directory, options: options)
        guard plan.isClean else {
            throw BackupError.refused(
                path: described[described.count - 1].path,
                reason: "\(newest.sourceDescription) cannot be restored whole ("
                    + plan.refusals.map { "\($0.path): \($0.reason)" }.joined(separator: "; ")
                    + "); it was imported, nothing was written to \(directory)")
        }
        let report = restorer.execute(plan, options: options)
        var baselineSet = false
        do {
            _ = try store.resolve(.baseline)
        } catch SnapshotStoreError.baselineMissing {
            try store.setBaseline(
                .id(newest.snapshot.id), reason: "rebuilt from \(newest.sourceDescription)")
            baselineSet = true
        }
        return Outcome(imported: imported, restore: report, baselineSet: baselineSet)
    }

    /// The name of one entry of `directory`, or `nil` when it is empty or absent.
    private func firstEntry(of directory: String) throws -> String? {
        do {
            return try DirectoryListing.names(in: directory).first
        } catch  where error.isNotFound {
            return nil
        } catch {
            throw BackupError.cannotRead(path: directory, reason: error.description)
        }
    }
}
