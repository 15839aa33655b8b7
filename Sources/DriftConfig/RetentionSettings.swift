/// `[store] keep` and its time tiers, as the configuration file gives them: which snapshots
/// rotation keeps (DriftOperations turns them into the store's `RetentionPolicy`).
package struct RetentionSettings: Hashable, Sendable {
    /// The newest distinct states kept.
    package var keep: Int
    /// The newest snapshot of each of the last N hours, days, ISO weeks and months (UTC) that hold one.
    package var hourly: Int
    package var daily: Int
    package var weekly: Int
    package var monthly: Int

    /// `keep = 10` distinct states and no tier when `[store]` says nothing.
    package static let defaultKeep = 10

    package init(keep: Int = defaultKeep, hourly: Int = 0, daily: Int = 0, weekly: Int = 0, monthly: Int = 0)
    {
        self.keep = keep
        self.hourly = hourly
        self.daily = daily
        self.weekly = weekly
        self.monthly = monthly
    }
}

extension ConfigurationReader {
    /// `[store] keep` (distinct states, default 10) and the optional time tiers `keep_hourly`,
    /// `keep_daily`, `keep_weekly`, `keep_monthly` (the newest snapshot of each of the last N
    /// periods, as `restic forget`), read from the `[store]` table.
    mutating func retentionSettings() throws(DriftConfigurationError) -> RetentionSettings {
        var settings = RetentionSettings()
        if let keep = try integer("keep", range: 1...100_000) { settings.keep = Int(keep) }
        if let hourly = try integer("keep_hourly", range: 0...100_000) { settings.hourly = Int(hourly) }
        if let daily = try integer("keep_daily", range: 0...100_000) { settings.daily = Int(daily) }
        if let weekly = try integer("keep_weekly", range: 0...100_000) { settings.weekly = Int(weekly) }
        if let monthly = try integer("keep_monthly", range: 0...100_000) { settings.monthly = Int(monthly) }
        return settings
    }
}
