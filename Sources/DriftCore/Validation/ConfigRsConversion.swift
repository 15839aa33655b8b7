import TOML

/// The conversions config-rs 0.15 performs when serde asks a value for a type
/// (`Value::into_bool`, `into_int`, `into_uint`, `into_float`, `into_string` in
/// `config-rs/src/value.rs`): what kms-server accepts for a key of that type, whatever the TOML
/// type it was written as or the environment string it came from.
public enum ConfigRsConversion {
    /// `into_bool`: booleans; numbers non-zero; strings `1 true on yes` / `0 false off no`
    /// in any case. Nil for anything else.
    public static func bool(_ value: TOMLValue) -> Bool? {
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

    /// `into_int` (signed Rust types): integers; booleans 0/1; floats rounded (saturating, as
    /// Rust's `as i64`); strings `true on yes` → 1, `false off no` → 0, else Rust's `i64` syntax
    /// (optional sign, ASCII digits, nothing else).
    public static func int(_ value: TOMLValue) -> Int64? {
        switch value {
        case .integer(let number): return number
        case .boolean(let flag): return flag ? 1 : 0
        case .float(let number): return saturating(number.rounded(.toNearestOrAwayFromZero))
        case .string(let text):
            if let word = wordNumber(text) { return word }
            return rustInteger(text, allowMinus: true)
        case .dateTime, .array, .table: return nil
        }
    }

    /// `into_uint` (unsigned Rust types: `u16`, `u32`, `u64`, `usize`): as `int`, but a negative
    /// value is refused (`-1` does not convert). Returned as `Int64` like every TOML integer;
    /// values above `Int64.max` are refused here (no kms-server setting takes them).
    public static func uint(_ value: TOMLValue) -> Int64? {
        switch value {
        case .integer(let number): return number >= 0 ? number : nil
        case .boolean(let flag): return flag ? 1 : 0
        case .float(let number):
            let rounded = number.rounded(.toNearestOrAwayFromZero)
            return number.isNaN ? 0 : rounded <= 0 ? 0 : saturating(rounded)
        case .string(let text):
            if let word = wordNumber(text) { return word }
            return rustInteger(text, allowMinus: false)
        case .dateTime, .array, .table: return nil
        }
    }

    /// `into_float`: floats; integers; booleans 1.0/0.0; strings `true on yes` / `false off no`,
    /// else Rust's `f64` syntax (`1`, `-2.5`, `1e3`, `.5`, `inf`, `NaN`; no hex, no `_`).
    public static func float(_ value: TOMLValue) -> Double? {
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
    /// (`1.0` prints `1`). A TOML date-time is a string to config-rs. Nil for arrays and tables.
    public static func string(_ value: TOMLValue) -> String? {
        switch value {
        case .string(let text): return text
        case .boolean(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .float(let number): return rustDisplay(number)
        case .dateTime(let moment): return moment.description
        case .array, .table: return nil
        }
    }

    private static func wordNumber(_ text: String) -> Int64? {
        switch text.lowercased() {
        case "true", "on", "yes": return 1
        case "false", "off", "no": return 0
        default: return nil
        }
    }

    private static func saturating(_ number: Double) -> Int64 {
        if number.isNaN { return 0 }
        if number >= 9.223372036854775807e18 { return Int64.max }
        if number <= -9.223372036854775808e18 { return Int64.min }
        return Int64(number)
    }

    /// Rust's `str::parse::<i64>` / `::<u64>`: `[+-]?[0-9]+`, no spaces, no underscores.
    static func rustInteger(_ text: String, allowMinus: Bool) -> Int64? {
        var digits = Substring(text)
        var negative = false
        if digits.first == "+" {
            digits = digits.dropFirst()
        } else if digits.first == "-" {
            negative = true
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if negative {
            guard let value = Int64("-" + digits) else { return nil }
            return allowMinus || value == 0 ? value : nil
        }
        return Int64(digits)
    }

    /// Rust's `str::parse::<f64>`: `[+-]?` then `inf`, `infinity`, `nan` (any case) or decimal
    /// digits with an optional `.` and exponent.
    static func rustFloat(_ text: String) -> Double? {
        var body = Substring(text)
        var sign: Double = 1
        if body.first == "+" {
            body = body.dropFirst()
        } else if body.first == "-" {
            sign = -1
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: break
        }
        var sawDigit = false
        var index = body.startIndex
        func skipDigits() {
            while index < body.endIndex, body[index].isASCII, body[index].isNumber {
                sawDigit = true
                index = body.index(after: index)
            }
        }
        skipDigits()
        if index < body.endIndex, body[index] == "." {
            index = body.index(after: index)
            skipDigits()
        }
        guard sawDigit else { return nil }
        if index < body.endIndex, body[index] == "e" || body[index] == "E" {
            index = body.index(after: index)
            if index < body.endIndex, body[index] == "+" || body[index] == "-" { index = body.index(after: index) }
            let exponentStart = index
            while index < body.endIndex, body[index].isASCII, body[index].isNumber { index = body.index(after: index) }
            guard index > exponentStart else { return nil }
        }
        guard index == body.endIndex, let value = Double(String(body)) else { return nil }
        return sign * value
    }

    /// Rust's `Display` for `f64`: the shortest digits that round-trip, written without an
    /// exponent (`1e20` prints `100000000000000000000`, `1.0` prints `1`), `NaN`, `inf`, `-inf`.
    public static func rustDisplay(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        if number == 0 { return number.sign == .minus ? "-0" : "0" }
        let swift = "\(number.magnitude)"
        var mantissa = Substring(swift)
        var exponent = 0
        if let e = swift.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = swift[..<e]
            exponent = Int(swift[swift.index(after: e)...]) ?? 0
        }
        var integerPart = String(mantissa.prefix { $0 != "." })
        var fraction = mantissa.firstIndex(of: ".").map { String(mantissa[mantissa.index(after: $0)...]) } ?? ""
        if exponent > 0 {
            let shift = min(exponent, fraction.count)
            integerPart += fraction.prefix(shift)
            fraction = String(fraction.dropFirst(shift))
            integerPart += String(repeating: "0", count: exponent - shift)
        } else if exponent < 0 {
            let shift = -exponent
            let padded = String(repeating: "0", count: max(0, shift - integerPart.count + 1)) + integerPart
            let split = padded.index(padded.endIndex, offsetBy: -shift)
            fraction = String(padded[split...]) + fraction
            integerPart = String(padded[..<split])
        }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let trimmedInteger = String(integerPart.drop { $0 == "0" })
        let text = (trimmedInteger.isEmpty ? "0" : trimmedInteger) + (fraction.isEmpty ? "" : "." + fraction)
        return number < 0 ? "-" + text : text
    }
}
