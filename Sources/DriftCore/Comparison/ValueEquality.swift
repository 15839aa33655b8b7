import TOML

/// Equality of TOML values by meaning: the rule that decides what is drift.
///
/// - Integers, booleans: by value (`0x3e8 == 1_000 == 1000`).
/// - Floats: by value; `nan` equals `nan` (a config that says nan twice has not changed), and
///   `-0.0` equals `0.0` (no kms-server setting gives the sign of zero a meaning).
/// - Strings: by their exact Unicode scalars, not canonical equivalence: two spellings of
///   "é" are different bytes in a path or an address.
/// - Date-times: same kind and same value; offset date-times by the instant they name.
/// - Tables: same keys with equal values, in any order.
/// - Arrays: same length, equal elements by position. (The diff matches arrays of tables by
///   identity before it comes here; this is the plain rule.)
/// - Different types are never equal: `50001` is not `"50001"`, `1` is not `1.0`.
package enum ValueEquality {
    package static func equal(_ lhs: TOMLValue, _ rhs: TOMLValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)):
            return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.integer(let a), .integer(let b)):
            return a == b
        case (.float(let a), .float(let b)):
            return a == b || (a.isNaN && b.isNaN)
        case (.boolean(let a), .boolean(let b)):
            return a == b
        case (.dateTime(let a), .dateTime(let b)):
            return equal(a, b)
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for position in 0..<a.count where !equal(a[position], b[position]) { return false }
            return true
        case (.table(let a), .table(let b)):
            guard a.count == b.count else { return false }
            for entry in a.entries {
                guard let other = b[entry.key], equal(entry.value, other) else { return false }
            }
            return true
        default:
            return false
        }
    }

    package static func equal(_ a: TOMLDateTime, _ b: TOMLDateTime) -> Bool {
        guard a.kind == b.kind else { return false }
        guard let offsetA = a.offsetMinutes, let offsetB = b.offsetMinutes, offsetA != offsetB else {
            return a == b
        }
        return instant(a, offset: offsetA) == instant(b, offset: offsetB)
    }

    /// (days since 0000-03-01, nanoseconds of day) in UTC, enough to compare two offset date-times.
    private static func instant(_ moment: TOMLDateTime, offset: Int) -> (Int, Int) {
        guard let date = moment.date, let time = moment.time else { return (0, 0) }
        let year = date.month <= 2 ? date.year - 1 : date.year
        let month = date.month <= 2 ? date.month + 9 : date.month - 3
        var days = 365 * year + year / 4 - year / 100 + year / 400 + (153 * month + 2) / 5 + date.day - 1
        var minutes = time.hour * 60 + time.minute - offset
        days += minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440)
        minutes = ((minutes % 1440) + 1440) % 1440
        let nanos = (minutes * 60 + time.second) * 1_000_000_000 + time.nanosecond
        return (days, nanos)
    }
}
