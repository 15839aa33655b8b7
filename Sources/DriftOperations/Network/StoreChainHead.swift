import FileSystem
import NetworkAgreement
import SnapshotStore

/// A statement's chain head read from a kms-drift store (`statement --db`).
package struct StoreChainHead: ChainHeadSource {
    package let databasePath: String

    package init(databasePath: String) {
        self.databasePath = databasePath
    }

    package func chainHead() throws(NetworkAgreementError) -> String? {
        guard FileContents.exists(databasePath) else {
            throw .unreadable(path: databasePath, reason: "no kms-drift store there (\(POSIX.errorText()))")
        }
        do {
            return try SnapshotStore(path: databasePath).chainHead()?.chainHash.description
        } catch {
            throw .unreadable(path: databasePath, reason: "\(error)")
        }
    }
}
