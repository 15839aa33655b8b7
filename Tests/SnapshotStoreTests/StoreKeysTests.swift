import TestSupport
import Testing

@testable import SnapshotStore

/// The store's secret-fingerprint key: its bytes are what DriftOperations fingerprints secrets
/// with, so they must outlive the process and survive a damaged row.
@Suite("The store's secret-fingerprint key", .temporaryDirectory)
struct StoreKeysTests {
    @Test("made with the store: 32 bytes, the same after the store is opened again")
    func keptAcrossOpenings() throws {
        let temp = try TemporaryDirectory.current()
        let first = try SnapshotStore(path: temp.path("history.db")).secretFingerprintKeyBytes()
        #expect(first.count == 32)
        #expect(try SnapshotStore(path: temp.path("history.db")).secretFingerprintKeyBytes() == first)
        let other = try SnapshotStore(path: temp.path("other.db")).secretFingerprintKeyBytes()
        #expect(other != first, "each store has its own random key")
    }

    @Test("a key too short to be one is replaced by a new one, kept from then on")
    func damagedKeyReplaced() throws {
        let temp = try TemporaryDirectory.current()
        let store = try SnapshotStore(path: temp.path("history.db"))
        let original = try store.secretFingerprintKeyBytes()
        try store.database.execute(
            "UPDATE store_keys SET key = x'0102' WHERE name = '\(SnapshotStore.secretFingerprintKeyName)'")
        let replaced = try store.secretFingerprintKeyBytes()
        #expect(replaced.count == 32)
        #expect(replaced != original)
        #expect(try store.secretFingerprintKeyBytes() == replaced)
    }
}
