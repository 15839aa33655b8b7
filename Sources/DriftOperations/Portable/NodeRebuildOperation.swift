import Age
import Backup
import DriftConfig
import SigningKeys
import SnapshotStore

/// `rebuild EXPORT…`: a node brought back from its exports: imported oldest first, the newest
/// restored into the watched directory, and made the baseline when the store has none.
package struct NodeRebuildOperation: Sendable {
    package let configuration: DriftConfiguration
    package let exports: [String]
    package var identityFiles: [String] = []
    package var keepSpecialBits = false

    package init(configuration: DriftConfiguration, exports: [String]) {
        self.configuration = configuration
        self.exports = exports
    }

    package struct Result: Sendable {
        package let outcome: NodeRebuild.Outcome

        /// 0 rebuilt, 2 the restore of the newest export was not complete.
        package var exitStatus: ExitStatus { .failure(if: !outcome.restore.isComplete) }
    }

    /// Reads the keys first, then opens the history with `openStore` and rebuilds into it.
    package func run(openStore: () throws -> SnapshotStore) throws -> Result {
        var identities: [AgeIdentity] = []
        for path in identityFiles { identities += try AgeKeyFiles.identities(file: path) }
        let signingKey = try configuration.signingKeyPath.map { path throws(ChainKeyError) in
            try ChainSigningKey.load(path: path)
        }
        let store = try openStore()
        let rebuild = NodeRebuild(
            exports: exports, identities: identities, directory: configuration.watchedDirectory,
            checks: ImportChecks(maximumFileSize: configuration.maximumStoredFileSize),
            keepSpecialBits: keepSpecialBits, signingKey: signingKey)
        return Result(outcome: try rebuild.run(into: store))
    }
}
