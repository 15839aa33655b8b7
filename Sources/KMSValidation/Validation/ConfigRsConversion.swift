import TOML

/// The conversions config-rs 0.15 performs when serde asks a value for a Rust type
/// (`Value::into_bool`, `into_int`, `into_uint`, `into_float`, `into_string` in config-rs's
/// `src/value.rs`, then the narrowing in `src/de.rs`): what kms-server reads from a value,
/// whatever TOML type it was written as or the environment string it came from.
///
/// Use it wherever a value has to be judged as kms-server would judge it:
/// - `validate` converts every scalar of a file before checking ranges and formats;
/// - the effective configuration (environment values are always strings, config-rs's
///   `try_parsing` is off for kms-server) converts `KMS_CORE__*` values the same way:
///   wrap the string as `.string(value)` and ask for the key's type (its `KMSSchema` key says
///   which one).
///
/// Every function is total: `nil` (or `.failure`) means kms-server refuses the value when the
/// configuration is parsed.
package enum ConfigRsConversion {
    /// The unsigned Rust integer types of kms-server's configuration. serde asks config-rs for a
    /// `u64` (`into_uint`) and narrows it with `try_into`; `usize` is 64 bits on the platforms
    /// kms-server is built for (x86_64, aarch64).
    package enum UnsignedWidth: String, Sendable, CaseIterable, Equatable {
        case u8, u16, u32, u64, usize

        /// The largest value the type holds.
        package var maximum: UInt64 {
            switch self {
            case .u8: return UInt64(UInt8.max)
            case .u16: return UInt64(UInt16.max)
            case .u32: return UInt64(UInt32.max)
            case .u64, .usize: return UInt64.max
            }
        }

        /// `u16 (0...65535)`: the type and its range, as a message says it.
        package var description: String { "\(rawValue) (0...\(maximum))" }
    }

    /// Why config-rs refuses a value for a Rust type.
    package enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The value cannot be read as the type at all: the string `"abc"` as an integer, a table
        /// as a string. `found` says what was written, `expected` what serde asked for.
        case notConvertible(found: String, expected: String)
        /// The value is a number, but not one the unsigned type holds: negative, or too large.
        case outOfRange(value: String, width: UnsignedWidth)

        package var description: String {
            switch self {
            case .notConvertible(let found, let expected):
                return "\(found) cannot be read as \(expected)"
            case .outOfRange(let value, let width):
                return "\(value) does not fit a \(width.description)"
            }
        }
    }

    // MARK: The conversions

    /// `into_bool`: booleans; integers and floats are `!= 0`; strings `1 true on yes` and
    /// `0 false off no` in any letter case. Nil for anything else (kms-server refuses it).
    package static func bool(_ value: TOMLValue) -> Bool? {
        switch value {
        case .boolean(let flag): return flag
        case .integer(let number): return number != 0
        case .float(let number): return number != 0
        case .string(let text):
            switch text.lowercased() {
            case "1", "true", "on", "yes": return true
            case "0", "false", "off", "no": return false
            default: return nil
            }
        case .dateTime, .array, .table: return nil
        }
    }

    /// `into_int`, for signed Rust types: integers; booleans 1/0; floats rounded half away from
    /// zero and saturated (Rust's `as i64`); strings `true on yes` → 1, `false off no` → 0, else
    /// Rust's `i64` syntax (an optional sign and ASCII digits, nothing else).
    package static func int(_ value: TOMLValue) -> Int64? {
        switch value {
        case .integer(let number): return number
        case .boolean(let flag): return flag ? 1 : 0
        case .float(let number): return saturatingInt64(number.rounded(.toNearestOrAwayFromZero))
        case .string(let text):
            if let word = wordNumber(text) { return Int64(word) }
            return rustSignedInteger(text)
        case .dateTime, .array, .table: return nil
        }
    }

    /// `into_uint` as an `Int64`, for callers that hold every integer as TOML does. Values above
    /// `Int64.max` (possible only for a `u64` written as a string) give nil here; use
    /// `unsigned(_:as:)` to judge a key of a known width exactly.
    package static func uint(_ value: TOMLValue) -> Int64? {
        guard case .success(let number) = unsigned(value, as: .u64), number <= UInt64(Int64.max) else {
            return nil
        }
        return Int64(number)
    }

    /// `into_uint` then the narrowing to `width` (`try_into` in config-rs's `de.rs`): what an
    /// unsigned field of that type receives, or why kms-server refuses the value.
    ///
    /// Integers must not be negative; booleans are 1/0; floats are rounded half away from zero
    /// and saturated (Rust's `as u64`: negative and NaN give 0); strings `true on yes` → 1,
    /// `false off no` → 0, else Rust's `u64` syntax (an optional `+` and ASCII digits).
    package static func unsigned(_ value: TOMLValue, as width: UnsignedWidth) -> Result<UInt64, Failure> {
        let number: UInt64
        switch value {
        case .integer(let integer):
            guard integer >= 0 else { return .failure(.outOfRange(value: String(integer), width: width)) }
            number = UInt64(integer)
        case .boolean(let flag):
            number = flag ? 1 : 0
        case .float(let float):
            number = saturatingUInt64(float.rounded(.toNearestOrAwayFromZero))
        case .string(let text):
            if let word = wordNumber(text) {
                number = word
            } else if let parsed = rustUnsignedInteger(text) {
                number = parsed
            } else if rustSignedInteger(text) != nil {
                return .failure(.outOfRange(value: "\"\(text)\"", width: width))
            } else {
                return .failure(.notConvertible(found: describe(value), expected: "an integer"))
            }
        case .dateTime, .array, .table:
            return .failure(.notConvertible(found: describe(value), expected: "an integer"))
        }
        guard number <= width.maximum else {
            return .failure(.outOfRange(value: describeNumber(value, number), width: width))
        }
        return .success(number)
    }

    /// `into_float`: floats; integers; booleans 1.0/0.0; strings `true on yes` / `false off no`
    /// in any case, else Rust's `f64` syntax (`1`, `-2.5`, `1e3`, `.5`, `inf`, `NaN`; no hex, no `_`).
    package static func float(_ value: TOMLValue) -> Double? {
        switch value {
        case .float(let number): return number
        case .integer(let number): return Double(number)
        case .boolean(let flag): return flag ? 1 : 0
        case .string(let text):
            switch text.lowercased() {
            case "true", "on", "yes": return 1
            case "false", "off", "no": return 0
            default: return rustFloat(text)
            }
        case .dateTime, .array, .table: return nil
        }
    }

    /// `into_string`: strings as they are; booleans, integers and floats as Rust prints them
    /// (`1.0` prints `1`). A TOML date-time reaches config-rs as a string. Nil for arrays and
    /// tables. This is also what `PathBuf`, `Url` and hex fields start from.
    package static func string(_ value: TOMLValue) -> String? {
        switch value {
        case .string(let text): return text
        case .boolean(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .float(let number): return rustDisplay(number)
        case .dateTime(let moment): return moment.description
        case .array, .table: return nil
        }
    }

    /// True when config-rs changes a number on the way to an integer field: a float with a
    /// fraction is rounded (`2.5` → 3), a negative or NaN float becomes 0.
    package static func roundsAway(_ value: TOMLValue) -> Bool {
        guard case .float(let number) = value else { return false }
        return number.isNaN || number < 0 || number.rounded(.towardZero) != number
    }

    // MARK: Rust's parsers and printers

    /// Rust's `str::parse::<u64>`: an optional `+`, then one or more ASCII digits, no overflow.
    static func rustUnsignedInteger(_ text: String) -> UInt64? {
        var digits = Substring(text)
        if digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var number: UInt64 = 0
        for byte in digits.utf8 {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times, overflow1) = number.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte - 0x30))
            if overflow1 || overflow2 { return nil }
            number = sum
        }
        return number
    }

    /// Rust's `str::parse::<i64>`: an optional sign, then one or more ASCII digits, no overflow.
    static func rustSignedInteger(_ text: String) -> Int64? {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" {
            negative = true
            digits = digits.dropFirst()
        } else if digits.first == "+" {
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64((negative ? "-" : "") + digits)
    }

    /// Rust's `str::parse::<f64>`: an optional sign, then `inf`, `infinity` or `nan` in any case,
    /// or decimal digits with an optional `.` and an optional exponent (at least one digit in the
    /// mantissa and in the exponent).
    static func rustFloat(_ text: String) -> Double? {
        var body = Substring(text)
        var negative = false
        if body.first == "+" {
            body = body.dropFirst()
        } else if body.first == "-" {
            negative = true
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf", "infinity": return negative ? -.infinity : .infinity
        case "nan": return .nan
        default: break
        }
        let bytes = Array(body.utf8)
        var index = 0
        var mantissaDigits = 0
        func skipDigits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - start
        }
        mantissaDigits += skipDigits()
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            mantissaDigits += skipDigits()
        }
        guard mantissaDigits > 0 else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard skipDigits() > 0 else { return nil }
        }
        guard index == bytes.count, let magnitude = Double(String(body)) else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// Rust's `Display` for `f64`: the shortest digits that round-trip, written without an
    /// exponent (`1e20` prints `100000000000000000000`, `1.0` prints `1`), `NaN`, `inf`, `-inf`, `-0`.
    package static func rustDisplay(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        if number == 0 { return number.sign == .minus ? "-0" : "0" }
        // Swift prints the same shortest round-trip digits, sometimes with an exponent.
        let swift = "\(number.magnitude)"
        var mantissa = Substring(swift)
        var exponent = 0
        if let e = swift.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = swift[..<e]
            exponent = Int(swift[swift.index(after: e)...]) ?? 0
        }
        let integerDigits = mantissa.prefix { $0 != "." }
        let fractionDigits = mantissa.firstIndex(of: ".").map { mantissa[mantissa.index(after: $0)...] } ?? ""
        let digits = Array(integerDigits + fractionDigits)
        // The decimal point sits after `point` digits of `digits`.
        let point = integerDigits.count + exponent
        var integerPart: String
        var fraction: String
        if point <= 0 {
            integerPart = "0"
            fraction = String(repeating: "0", count: -point) + String(digits)
        } else if point >= digits.count {
            integerPart = String(digits) + String(repeating: "0", count: point - digits.count)
            fraction = ""
        } else {
            integerPart = String(digits[..<point])
            fraction = String(digits[point...])
        }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        while integerPart.count > 1, integerPart.hasPrefix("0") { integerPart.removeFirst() }
        let text = integerPart + (fraction.isEmpty ? "" : "." + fraction)
        return number < 0 ? "-" + text : text
    }

    // MARK: Helpers

    /// config-rs's integer words (`into_int`/`into_uint`): `true on yes` → 1, `false off no` → 0.
    private static func wordNumber(_ text: String) -> UInt64? {
        switch text.lowercased() {
        case "true", "on", "yes": return 1
        case "false", "off", "no": return 0
        default: return nil
        }
    }

    private static func saturatingInt64(_ number: Double) -> Int64 {
        if number.isNaN { return 0 }
        if number >= 9.223372036854775807e18 { return Int64.max }
        if number <= -9.223372036854775808e18 { return Int64.min }
        return Int64(number)
    }

    private static func saturatingUInt64(_ number: Double) -> UInt64 {
        if number.isNaN || number <= 0 { return 0 }
        if number >= 1.8446744073709551615e19 { return UInt64.max }
        return UInt64(number)
    }

    /// How a message names a value that failed: `the string "abc"`, `a table`.
    static func describe(_ value: TOMLValue) -> String {
        switch value {
        case .string(let text): return "the string \"\(text)\""
        case .integer(let number): return "the integer \(number)"
        case .float(let number): return "the float \(rustDisplay(number))"
        case .boolean(let flag): return "the boolean \(flag)"
        case .dateTime(let moment): return "the date-time \(moment.description)"
        case .array: return "an array"
        case .table: return "a table"
        }
    }

    /// A number that does not fit, as written and, when config-rs changed it, as converted.
    private static func describeNumber(_ value: TOMLValue, _ converted: UInt64) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        case .float(let number): return "\(rustDisplay(number)) (read as \(converted))"
        default: return String(converted)
        }
    }
}
