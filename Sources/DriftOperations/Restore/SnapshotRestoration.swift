import Age
import Backup
import DriftConfig
import SnapshotRestore
import SnapshotStore

/// `restore`: a recorded state written back, from the history or from an export, planned whole
/// first and checked against its SHA-256; the current state is saved first (see
/// ``DriftConfiguration/restore(_:from:into:subtree:keepSpecialBits:dryRun:partial:saveCurrentState:history:)``).
package struct SnapshotRestoration: Sendable {
    /// Where the state to restore comes from.
    package enum Source: Sendable {
        /// A snapshot of the history.
        case history(SnapshotReference)
        /// The snapshot of an export (`--from`), decrypted with the age identities in these files;
        /// checked completely before anything is written, and never added to the history.
        case export(path: String, identityFiles: [String])
    }

    package let configuration: DriftConfiguration
    package let source: Source
    /// `--path`: only this file or directory.
    package var subtree: String? = nil
    /// `--to`: into this directory instead of the watched directory.
    package var target: String? = nil
    package var dryRun = false
    package var partial = false
    package var keepSpecialBits = false
    /// False for `--no-snapshot-first`.
    package var saveCurrentState = true

    package init(configuration: DriftConfiguration, source: Source) {
        self.configuration = configuration
        self.source = source
    }

    /// What `restore` did, and the name its report gives the snapshot.
    package struct Result: Sendable {
        /// `checked FILE: …` for an export, said before anything is written.
        package let checkedExport: String?
        package let outcome: RestoreOutcome
        /// An export's snapshot is named as its own store numbered it; `nil`: `snapshot #N`.
        package let snapshotName: String?
        package let dryRun: Bool

        /// 0 everything restored (or, for a dry run, restorable), 2 anything not.
        package var exitStatus: ExitStatus { .failure(if: !outcome.isComplete) }
    }

    /// Restores; `announce` gets the line saying an export was checked as soon as it was (before
    /// the store is opened and anything is written). `openStore` opens the history.
    package func run(announce: (String) -> Void, openStore: () throws -> SnapshotStore) throws -> Result {
        switch source {
        case .history(let snapshot):
            let store = try openStore()
            let outcome = try configuration.restore(
                snapshot, from: store, into: target, subtree: subtree, keepSpecialBits: keepSpecialBits,
                dryRun: dryRun, partial: partial, saveCurrentState: saveCurrentState)
            return Result(checkedExport: nil, outcome: outcome, snapshotName: nil, dryRun: dryRun)
        case .export(let path, let identityFiles):
            var identities: [AgeIdentity] = []
            for file in identityFiles { identities += try AgeKeyFiles.identities(file: file) }
            // Checked completely before anything is written; never added to the history.
            let exported = try TemporaryImport(
                from: path, identities: identities,
                checks: ImportChecks(maximumFileSize: configuration.maximumStoredFileSize))
            let checked =
                "checked \(path): \(exported.result.sourceDescription), \(exported.result.sourceChainHash)\n"
            announce(checked)
            let saveFirst = saveCurrentState && !dryRun && target == nil
            let outcome = try configuration.restore(
                .latest, from: exported.store, into: target, subtree: subtree,
                keepSpecialBits: keepSpecialBits,
                dryRun: dryRun, partial: partial, saveCurrentState: saveFirst,
                history: saveFirst ? try openStore() : nil)
            return Result(
                checkedExport: checked, outcome: outcome, snapshotName: exported.result.sourceDescription,
                dryRun: dryRun)
        }
    }
}
