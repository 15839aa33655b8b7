/// The one quoting function of kms-drift: a string as a double-quoted literal that is both a
/// valid TOML basic string and a valid JSON string.
///
/// `"` and `\` are escaped, `\n`, `\r`, `\t` by name, every other control character (and DEL)
/// as `\u00XX`; everything else is kept as it is. The result is always one line, so a key or
/// value from a hostile file cannot forge a line of a report, an error message or a log.
public enum StringLiteral {
    public static func quoted(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{0}"..."\u{1F}", "\u{7F}":
                let digits = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
