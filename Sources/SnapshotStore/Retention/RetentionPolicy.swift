/// How many distinct states rotation keeps: the newest `keep`, and optionally the newest snapshot
/// of each of the last `hourly` hours, `daily` days, `weekly` ISO weeks and `monthly` months that
/// hold one (as `restic forget --keep-daily` does). Periods are UTC. The baseline, the previous
/// baseline and pinned snapshots are kept on top of all of these.
package struct RetentionPolicy: Hashable, Sendable {
    package var keep: Int
    package var hourly: Int
    package var daily: Int
    package var weekly: Int
    package var monthly: Int

    package init(
        keep: Int = SnapshotStore.defaultKeepNewest, hourly: Int = 0, daily: Int = 0, weekly: Int = 0,
        monthly: Int = 0
    ) {
        self.keep = keep
        self.hourly = hourly
        self.daily = daily
        self.weekly = weekly
        self.monthly = monthly
    }

    /// A snapshot as the policy sees it.
    struct Candidate {
        let id: SnapshotID
        let takenAtNanoseconds: Int64
        let isBaseline: Bool
        let isPreviousBaseline: Bool
        let isPinned: Bool
    }

    /// Why each snapshot is kept; a snapshot absent from the result (or with no reason) is rotated out.
    func reasons(for candidates: [Candidate]) -> [SnapshotID: [RetentionReason]] {
        let newestFirst = candidates.sorted { $0.id > $1.id }
        var reasons: [SnapshotID: [RetentionReason]] = [:]
        for candidate in newestFirst {
            if candidate.isBaseline { reasons[candidate.id, default: []].append(.baseline) }
            if candidate.isPreviousBaseline { reasons[candidate.id, default: []].append(.previousBaseline) }
            if candidate.isPinned { reasons[candidate.id, default: []].append(.pinned) }
        }
        for (rank, candidate) in newestFirst.prefix(max(keep, 0)).enumerated() {
            reasons[candidate.id, default: []].append(.newest(rank: rank + 1, of: keep))
        }
        for period in RetentionPeriod.allCases {
            let count = self.count(of: period)
            guard count > 0 else { continue }
            var lastKey: String? = nil
            var kept = 0
            for candidate in newestFirst where kept < count {
                let key = period.key(nanoseconds: candidate.takenAtNanoseconds)
                guard key != lastKey else { continue }
                lastKey = key
                kept += 1
                reasons[candidate.id, default: []].append(.period(period, key))
            }
        }
        return reasons
    }

    func count(of period: RetentionPeriod) -> Int {
        switch period {
        case .hourly: hourly
        case .daily: daily
        case .weekly: weekly
        case .monthly: monthly
        }
    }

    /// `keep 10, daily 7`: the policy in one line, for messages.
    package var description: String {
        var parts = ["newest \(keep)"]
        for period in RetentionPeriod.allCases where count(of: period) > 0 {
            parts.append("\(period.rawValue) \(count(of: period))")
        }
        return parts.joined(separator: ", ")
    }
}

/// A time tier of a ``RetentionPolicy``.
package enum RetentionPeriod: String, CaseIterable, Hashable, Sendable {
    case hourly, daily, weekly, monthly

    /// The UTC period a time falls in: `2026-12-06 14h`, `2026-12-06`, `2026-W49`, `2026-12`.
    func key(nanoseconds: Int64) -> String {
        let seconds = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds + 1) / 1_000_000_000 - 1
        let days = seconds >= 0 ? seconds / 86_400 : (seconds + 1) / 86_400 - 1
        let (year, month, day) = CivilDate.from(days: days)
        switch self {
        case .hourly:
            return "\(CivilDate.text(year, month, day)) \(pad((seconds - days * 86_400) / 3_600))h"
        case .daily:
            return CivilDate.text(year, month, day)
        case .weekly:
            // ISO 8601: weeks start on Monday; a week belongs to the year of its Thursday.
            let weekday = ((days + 3) % 7 + 7) % 7  // Monday 0 (1970-01-01 was a Thursday)
            let thursday = days - weekday + 3
            let (isoYear, _, _) = CivilDate.from(days: thursday)
            let week = (thursday - CivilDate.days(year: isoYear, month: 1, day: 1)) / 7 + 1
            return "\(isoYear)-W\(pad(week))"
        case .monthly:
            return "\(year)-\(pad(month))"
        }
    }
}

/// Why rotation keeps a snapshot, as `list` shows it.
package enum RetentionReason: Hashable, Sendable, CustomStringConvertible {
    case baseline
    case previousBaseline
    case pinned
    /// Among the newest `of` distinct states.
    case newest(rank: Int, of: Int)
    /// The newest snapshot of its period.
    case period(RetentionPeriod, String)

    package var description: String {
        switch self {
        case .baseline: "baseline"
        case .previousBaseline: "previous baseline"
        case .pinned: "pinned"
        case .newest(let rank, let of): "newest \(rank)/\(of)"
        case .period(let period, let key): "\(period.rawValue) \(key)"
        }
    }
}

private func pad(_ number: Int64) -> String { number < 10 ? "0\(number)" : "\(number)" }

/// Days since 1970-01-01 and proleptic Gregorian dates (H. Hinnant's algorithms), UTC.
enum CivilDate {
    static func from(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func text(_ year: Int64, _ month: Int64, _ day: Int64) -> String {
        "\(year)-\(pad(month))-\(pad(day))"
    }
}
