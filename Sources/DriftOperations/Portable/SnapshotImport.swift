import Age
import Backup
import DriftConfig
import SigningKeys
import SnapshotStore

/// `import FILE`: an export checked completely and added to the history as a new snapshot.
package struct SnapshotImport: Sendable {
    package let configuration: DriftConfiguration
    /// The export file, or `-` for standard input.
    package let file: String
    /// `--identity`: age identity files that decrypt it.
    package var identityFiles: [String] = []
    /// `--note`: kept with the imported snapshot.
    package var note: String? = nil
    /// `--public-key`: refuse the export unless its link is signed with this key.
    package var publicKeyPath: String? = nil

    package init(configuration: DriftConfiguration, file: String) {
        self.configuration = configuration
        self.file = file
    }

    package struct Result: Sendable {
        package let file: String
        package let imported: ImportResult

        /// 0 imported; a refused export throws (2, nothing added).
        package var exitStatus: ExitStatus { .nothingToReport }
    }

    /// Reads the keys first, then opens the history with `openStore` and imports.
    package func run(openStore: () throws -> SnapshotStore) throws -> Result {
        var identities: [AgeIdentity] = []
        for path in identityFiles { identities += try AgeKeyFiles.identities(file: path) }
        let signingKey = try configuration.signingKeyPath.map { path throws(ChainKeyError) in
            try ChainSigningKey.load(path: path)
        }
        let publicKey = try publicKeyPath.map { path throws(ChainKeyError) in
            try ChainPublicKey.load(path: path)
        }
        let store = try openStore()
        let result = try SnapshotImporter.importSnapshot(
            from: file, identities: identities, into: store, note: note, signingKey: signingKey,
            checks: ImportChecks(maximumFileSize: configuration.maximumStoredFileSize, publicKey: publicKey))
        return Result(file: file, imported: result)
    }
}
