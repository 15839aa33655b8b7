/// One of TOML's four date-time types, kept field by field so that no precision or
/// offset is lost and the original kind stays visible to the diff.
public struct TOMLDateTime: Hashable, Sendable, CustomStringConvertible {
    /// Which of the four TOML date-time types this value is.
    public enum Kind: String, Hashable, Sendable {
        case offsetDateTime = "datetime"
        case localDateTime = "datetime-local"
        case localDate = "date-local"
        case localTime = "time-local"
    }

    public struct Date: Hashable, Sendable {
        public var year: Int
        public var month: Int
        public var day: Int
        public init(year: Int, month: Int, day: Int) {
            self.year = year
            self.month = month
            self.day = day
        }
    }

    public struct Time: Hashable, Sendable {
        public var hour: Int
        public var minute: Int
        public var second: Int
        /// Fractional seconds in nanoseconds; digits beyond nanoseconds are truncated, as TOML allows.
        public var nanosecond: Int
        public init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0) {
            self.hour = hour
            self.minute = minute
            self.second = second
            self.nanosecond = nanosecond
        }
    }

    /// The calendar date; `nil` for a local time.
    public var date: Date?
    /// The time of day; `nil` for a local date.
    public var time: Time?
    /// Offset from UTC in minutes (`Z` is 0); `nil` for the three local kinds.
    public var offsetMinutes: Int?

    public init(date: Date?, time: Time?, offsetMinutes: Int?) {
        self.date = date
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    public var kind: Kind {
        switch (date, time, offsetMinutes) {
        case (.some, .some, .some): return .offsetDateTime
        case (.some, .some, nil): return .localDateTime
        case (.some, nil, _): return .localDate
        default: return .localTime
        }
    }

    /// RFC 3339 text (`1979-05-27T07:32:00.5-07:00`, `07:32:00`, `1979-05-27`), used in reports.
    public var description: String {
        var text = ""
        if let date {
            text += pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2)
        }
        if let time {
            if date != nil { text += "T" }
            text += pad(time.hour, 2) + ":" + pad(time.minute, 2) + ":" + pad(time.second, 2)
            if time.nanosecond != 0 {
                var fraction = pad(time.nanosecond, 9)
                while fraction.hasSuffix("0") { fraction.removeLast() }
                text += "." + fraction
            }
        }
        if let offsetMinutes {
            if offsetMinutes == 0 {
                text += "Z"
            } else {
                let magnitude = abs(offsetMinutes)
                text +=
                    (offsetMinutes < 0 ? "-" : "+") + pad(magnitude / 60, 2) + ":" + pad(magnitude % 60, 2)
            }
        }
        return text
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
