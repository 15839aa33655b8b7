/// RFC 3339 date-times as TOML restricts them: offset and local date-times, local dates and
/// local times, with calendar validation (month lengths, leap years, second 60 for leap seconds).
extension Parser {
    /// True if a date (`YYYY-`) or a time (`HH:`) starts at `pos`, rather than a number.
    func looksLikeDateTime() -> Bool {
        guard pos + 4 < end else {
            return pos + 2 < end && Parser.isDigit(bytes[pos]) && Parser.isDigit(bytes[pos + 1])
                && bytes[pos + 2] == UInt8(ascii: ":")
        }
        let third = bytes[pos + 2]
        guard Parser.isDigit(bytes[pos]) && Parser.isDigit(bytes[pos + 1]) else { return false }
        if third == UInt8(ascii: ":") { return true }
        return Parser.isDigit(third) && Parser.isDigit(bytes[pos + 3]) && bytes[pos + 4] == UInt8(ascii: "-")
    }

    /// Parses the date-time starting at `pos` (where `looksLikeDateTime()` is true).
    mutating func parseDateTime() throws(TOMLParseError) -> TOMLDateTime {
        let start = pos
        var date: TOMLDateTime.Date?
        var time: TOMLDateTime.Time?
        var offset: Int?
        if byte(at: pos + 2) != UInt8(ascii: ":") {
            let year = try digits(4, start: start)
            try expect(UInt8(ascii: "-"), start: start, what: "\"-\" after the year")
            let month = try digits(2, start: start)
            try expect(UInt8(ascii: "-"), start: start, what: "\"-\" after the month")
            let day = try digits(2, start: start)
            guard (1...12).contains(month) else {
                throw dateError(start, "month \(month) is not between 1 and 12")
            }
            let length = Parser.daysIn(month: month, year: year)
            guard day >= 1 && day <= length else {
                throw dateError(start, "day \(day) is not between 1 and \(length) for that month")
            }
            date = TOMLDateTime.Date(year: year, month: month, day: day)
            let separator = current
            let isTimeNext =
                pos < end
                && (separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t")
                    || (separator == UInt8(ascii: " ") && Parser.isDigit(byte(at: pos + 1))))
            if !isTimeNext { return TOMLDateTime(date: date, time: nil, offsetMinutes: nil) }
            pos += 1
        }
        time = try parseTime(start: start)
        if date != nil {
            offset = try parseOffset(start: start)
        }
        return TOMLDateTime(date: date, time: time, offsetMinutes: offset)
    }

    private mutating func parseTime(start: Int) throws(TOMLParseError) -> TOMLDateTime.Time {
        let hour = try digits(2, start: start)
        try expect(UInt8(ascii: ":"), start: start, what: "\":\" after the hour")
        let minute = try digits(2, start: start)
        var second = 0
        var nanosecond = 0
        if current == UInt8(ascii: ":") && pos < end {
            pos += 1
            second = try digits(2, start: start)
            if current == UInt8(ascii: ".") && pos < end {
                pos += 1
                var count = 0
                while pos < end && Parser.isDigit(bytes[pos]) {
                    if count < 9 { nanosecond = nanosecond * 10 + Int(bytes[pos] - UInt8(ascii: "0")) }
                    count += 1
                    pos += 1
                }
                guard count > 0 else { throw dateError(start, "digits must follow the decimal point") }
                for _ in count..<max(count, 9) { nanosecond *= 10 }
            }
        } else if version == .v1_0 {
            throw error(.requiresTOML11(feature: "a time without seconds"), at: start)
        }
        guard hour <= 23 else { throw dateError(start, "hour \(hour) is not between 0 and 23") }
        guard minute <= 59 else { throw dateError(start, "minute \(minute) is not between 0 and 59") }
        guard second <= 60 else { throw dateError(start, "second \(second) is not between 0 and 60") }
        return TOMLDateTime.Time(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
    }

    private mutating func parseOffset(start: Int) throws(TOMLParseError) -> Int? {
        let sign = current
        guard pos < end else { return nil }
        if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
            pos += 1
            return 0
        }
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        pos += 1
        let hours = try digits(2, start: start)
        try expect(UInt8(ascii: ":"), start: start, what: "\":\" in the UTC offset")
        let minutes = try digits(2, start: start)
        guard hours <= 23, minutes <= 59 else { throw dateError(start, "the UTC offset is out of range") }
        let total = hours * 60 + minutes
        return sign == UInt8(ascii: "-") ? -total : total
    }

    private mutating func digits(_ count: Int, start: Int) throws(TOMLParseError) -> Int {
        var value = 0
        for _ in 0..<count {
            guard pos < end, Parser.isDigit(bytes[pos]) else {
                throw dateError(start, "expected \(count) digits")
            }
            value = value * 10 + Int(bytes[pos] - UInt8(ascii: "0"))
            pos += 1
        }
        return value
    }

    private mutating func expect(_ value: UInt8, start: Int, what: String) throws(TOMLParseError) {
        guard pos < end, bytes[pos] == value else { throw dateError(start, "expected \(what)") }
        pos += 1
    }

    private mutating func dateError(_ start: Int, _ detail: String) -> TOMLParseError {
        var stop = pos
        while stop < end && (Parser.isNumberTokenByte(bytes[stop]) || bytes[stop] == UInt8(ascii: ":")) {
            stop += 1
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self)
        return error(.invalidDateTime(text, detail: detail), at: start)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
