import FileSystem

/// Text from files, names and the database made safe to print for a person.
///
/// A file name or a value can hold ESC, CR, a newline or a bidirectional override: printed raw
/// it could forge a report line, move the cursor, or rewrite what is on screen. Every text output
/// for people escapes them the way the log lines do (`\n`, `\r`, `\t`, `\x1b`, `\u202e`), so what
/// is shown is always one line per item and exactly what is there.
package enum TerminalText {
    /// `text` with every control character escaped; everything else unchanged.
    package static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x100 {
                    result += PathName.hexEscape(UInt8(scalar.value))
                } else {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                }
            }
        }
        return result
    }

    /// C0 controls, DEL, C1 controls (0x9b is a CSI on some terminals), and the Unicode
    /// bidirectional embeddings, overrides and isolates that reorder what a terminal shows.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7f...0x9f, 0x200e, 0x200f, 0x202a...0x202e, 0x2066...0x2069: return true
        default: return false
        }
    }
}
