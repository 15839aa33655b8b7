import Backup
import DriftConfig
import SnapshotStore

extension DriftCycle {
    /// Writes the encrypted off-host backup of this cycle's snapshot when `[backup]` is set (and
    /// its files changed since the last backup). A failure is returned as one of the cycle's
    /// problems, raised as an `error` event like any other: it never stops the cycle.
    func backUp(_ snapshot: SnapshotID, store: SnapshotStore) -> (
        outcome: BackupDirectory.Outcome?, problem: String?
    ) {
        guard let settings = configuration.backup else { return (nil, nil) }
        let directory = BackupDirectory(
            directory: settings.directory, recipients: settings.recipients, keep: settings.keep)
        do {
            return (try directory.backUp(snapshot, from: store), nil)
        } catch {
            return (nil, "\(error)")
        }
    }
}
