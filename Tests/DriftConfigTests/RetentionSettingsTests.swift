import Foundation
import TOML
import TestSupport
import Testing

@testable import DriftConfig

/// `[store] keep` and its time tiers, parsed once where they enter.
@Suite("[store] retention")
struct RetentionSettingsTests {
    func parse(_ store: String) throws -> DriftConfiguration {
        let text = "[watch]\ndirectory = \"/etc/kms\"\n[store]\n" + store
        let root = try parseTOML(text, file: "kms-drift.toml")
        return try DriftConfiguration.parse(
            root, file: "kms-drift.toml", overrideDirectory: nil, overrideDatabase: nil)
    }

    @Test("keep defaults to 10 distinct states and no tier; the tiers are read as given")
    func tiers() throws {
        #expect(try parse("").retention == RetentionSettings(keep: 10))
        let configured = try parse(
            "keep = 5\nkeep_hourly = 24\nkeep_daily = 7\nkeep_weekly = 4\nkeep_monthly = 12\n")
        #expect(
            configured.retention == RetentionSettings(keep: 5, hourly: 24, daily: 7, weekly: 4, monthly: 12))
    }

    @Test(
        "a tier that is not a count is refused with its position",
        arguments: ["keep_daily = -1", "keep_weekly = \"7\""])
    func refused(_ line: String) throws {
        do {
            _ = try parse(line + "\n")
            Issue.record("\(line) was accepted")
        } catch let error as DriftConfigurationError {
            #expect(error.description.contains("kms-drift.toml:4:"), "\(error)")
        }
    }
}
