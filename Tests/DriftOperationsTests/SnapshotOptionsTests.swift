import DriftConfig
import SnapshotStore
import TOML
import Testing

@testable import DriftOperations

/// How a snapshot is taken under a configuration: its `[store]` retention and distinct states.
@Suite("snapshot options of a configuration")
struct SnapshotOptionsTests {
    @Test("the configured retention reaches the snapshot, and a snapshot is a distinct state")
    func retention() throws {
        let text =
            "[watch]\ndirectory = \"/etc/kms\"\n[store]\n"
            + "keep = 5\nkeep_hourly = 24\nkeep_daily = 7\nkeep_weekly = 4\nkeep_monthly = 12\n"
        let root = try TOMLParser().parse(Array(text.utf8), fileName: "kms-drift.toml")
        let configured = try DriftConfiguration.parse(
            root, file: "kms-drift.toml", overrideDirectory: nil, overrideDatabase: nil)
        #expect(configured.retentionPolicy == configured.snapshotOptions.retention)
        #expect(
            configured.snapshotOptions.retention
                == RetentionPolicy(keep: 5, hourly: 24, daily: 7, weekly: 4, monthly: 12))
        #expect(configured.snapshotOptions.onlyWhenChanged)
    }
}
