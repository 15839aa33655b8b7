import SnapshotStore

extension ConfigurationReader {
    /// `[store] keep` (distinct states, default 10) and the optional time tiers `keep_hourly`,
    /// `keep_daily`, `keep_weekly`, `keep_monthly` (the newest snapshot of each of the last N
    /// periods, as `restic forget`), read from the `[store]` table.
    mutating func retentionPolicy() throws(DriftConfigurationError) -> RetentionPolicy {
        var policy = RetentionPolicy()
        if let keep = try integer("keep", range: 1...100_000) { policy.keep = Int(keep) }
        if let hourly = try integer("keep_hourly", range: 0...100_000) { policy.hourly = Int(hourly) }
        if let daily = try integer("keep_daily", range: 0...100_000) { policy.daily = Int(daily) }
        if let weekly = try integer("keep_weekly", range: 0...100_000) { policy.weekly = Int(weekly) }
        if let monthly = try integer("keep_monthly", range: 0...100_000) { policy.monthly = Int(monthly) }
        return policy
    }
}
