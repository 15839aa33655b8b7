import DriftCore
import SnapshotStore

extension SnapshotStore {
    /// This store's key for secret fingerprints (see `FingerprintKey`), made of the bytes the store
    /// keeps (``SnapshotStore/secretFingerprintKeyBytes()``): fingerprints from the daemon, the
    /// one-shot `snapshot`, `diff` and `list` of one store are comparable run after run.
    package func secretFingerprintKey() throws -> FingerprintKey {
        FingerprintKey(bytes: try secretFingerprintKeyBytes())
    }
}
