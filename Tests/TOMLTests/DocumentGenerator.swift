import TestSupport

/// Generates valid TOML 1.0 documents from a seed, exercising every value type and spelling,
/// for the differential test against Python's tomllib.
struct DocumentGenerator {
    var random: SplitMix64
    private var counter = 0

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    private mutating func pick<T>(_ options: [T]) -> T {
        options[Int.random(in: 0..<options.count, using: &random)]
    }

    private mutating func chance(_ percent: Int) -> Bool {
        Int.random(in: 0..<100, using: &random) < percent
    }

    /// A key unique within the document, bare or quoted.
    private mutating func key() -> String {
        counter += 1
        let base = pick([
            "port", "name", "a-b", "x_1", "42", "true", "inf", "peer", "S3", "ünï", "a.b", "sp ace", "",
        ])
        let isBare = base.utf8.allSatisfy {
            $0 < 0x80
                && ($0 == 0x2D || $0 == 0x5F || $0 > 0x2F && $0 < 0x3A
                    || ($0 | 0x20) > 0x60 && ($0 | 0x20) < 0x7B)
        }
        let name = base + String(counter)
        if isBare && !base.isEmpty && chance(80) { return name }
        return chance(50) ? "\"" + escaped(name) + "\"" : "'" + name + "'"
    }

    private func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private mutating func integer() -> String {
        let value = Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &random)
        let magnitude = value.magnitude
        switch Int.random(in: 0..<7, using: &random) {
        case 0: return "0x" + String(magnitude, radix: 16, uppercase: chance(50))
        case 1: return "0o" + String(magnitude, radix: 8)
        case 2: return "0b" + String(magnitude % 4096, radix: 2)
        case 3:
            var digits = Array(String(magnitude))
            var index = digits.count - 3
            while index > 0 {
                digits.insert("_", at: index)
                index -= 3
            }
            return (value < 0 ? "-" : chance(30) ? "+" : "") + String(digits)
        case 4: return pick(["0", "+0", "-0", "9223372036854775807", "-9223372036854775808"])
        default: return String(value)
        }
    }

    private mutating func float() -> String {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return pick(["inf", "+inf", "-inf", "nan", "+nan", "-nan", "0.0", "-0.0", "+0.0"])
        case 1:
            return
                "\(Int.random(in: -999...999, using: &random)).\(Int.random(in: 0...99999, using: &random))"
        case 2:
            return
                "\(Int.random(in: 1...9, using: &random))e\(pick(["", "+", "-"]))\(Int.random(in: 0...300, using: &random))"
        case 3: return "1_000.000_1E-0\(Int.random(in: 0...9, using: &random))"
        case 4: return "6.626e-34"
        default: return String(Double.random(in: -1e6...1e6, using: &random))
        }
    }

    private mutating func string() -> String {
        let pieces = [
            "plain", "with space", "tab\\there", "quote\\\"d", "back\\\\slash", "\\u00e9t\\u00E9",
            "\\U0001F600",
            "日本語", "emoji 😀", "new\\nline", "\\b\\f\\r", "#not a comment", "'single'", "=",
        ]
        var body = ""
        for _ in 0..<Int.random(in: 0...3, using: &random) { body += pick(pieces) }
        switch Int.random(in: 0..<5, using: &random) {
        case 0:
            return "'" + body.replacingAll("\\", with: "/").replacingAll("'", with: "`") + "'"
        case 1:
            return "\"\"\"\n" + body + "\\\n   continued \"\" \"\"\""
        case 2:
            return "'''" + body.replacingAll("'", with: "`") + "\n''second line'''"
        default:
            return "\"" + body + "\""
        }
    }

    private mutating func dateTime() -> String {
        let year = Int.random(in: 1...9999, using: &random)
        let month = Int.random(in: 1...12, using: &random)
        let day = Int.random(in: 1...28, using: &random)
        let date = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        let time =
            pad(Int.random(in: 0...23, using: &random), 2) + ":"
            + pad(Int.random(in: 0...59, using: &random), 2) + ":"
            + pad(Int.random(in: 0...59, using: &random), 2) + pick(["", ".5", ".123", ".999999", ".000001"])
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return date
        case 1: return time
        case 2: return date + pick(["T", "t", " "]) + time
        default: return date + "T" + time + pick(["Z", "z", "+05:30", "-08:00", "+00:00"])
        }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private mutating func value(depth: Int) -> String {
        let kind = Int.random(in: 0..<(depth < 3 ? 9 : 6), using: &random)
        switch kind {
        case 0: return integer()
        case 1: return float()
        case 2: return pick(["true", "false"])
        case 3: return dateTime()
        case 4, 5: return string()
        case 6, 7:
            let items = (0..<Int.random(in: 0...4, using: &random)).map { _ in value(depth: depth + 1) }
            let separator = pick([", ", ",", " ,\n  ", ", # comment\n "])
            return "[" + items.joined(separator: separator) + (chance(30) && !items.isEmpty ? ",]" : "]")
        default:
            let members = (0..<Int.random(in: 0...3, using: &random)).map { _ in
                key() + (chance(30) ? "." + key() : "") + " = " + value(depth: depth + 1)
            }
            return "{" + members.joined(separator: ", ") + "}"
        }
    }

    /// One document: top-level pairs, tables, sub-tables, arrays of tables, dotted keys.
    mutating func document() -> String {
        var lines: [String] = ["# generated"]
        for _ in 0..<Int.random(in: 0...4, using: &random) { lines.append(key() + " = " + value(depth: 0)) }
        for _ in 0..<Int.random(in: 1...5, using: &random) {
            let name = key()
            if chance(40) {
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    lines.append("[[" + name + "]]")
                    for _ in 0..<Int.random(in: 0...3, using: &random) {
                        lines.append(key() + " = " + value(depth: 0))
                    }
                    if chance(30) { lines.append("[" + name + "." + key() + "]\nx = 1") }
                }
            } else {
                lines.append(pick(["", "  ", "\t"]) + "[" + name + "]" + pick(["", " # header"]))
                for _ in 0..<Int.random(in: 0...5, using: &random) {
                    let dotted = chance(25) ? key() + " . " + key() : key()
                    lines.append(
                        dotted + pick([" = ", "=", "\t=  "]) + value(depth: 0) + pick(["", "  # trailing"]))
                }
                if chance(40) { lines.append("[" + name + "." + key() + "]\nleaf = " + value(depth: 0)) }
            }
            lines.append("")
        }
        return lines.joined(separator: chance(20) ? "\r\n" : "\n")
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
