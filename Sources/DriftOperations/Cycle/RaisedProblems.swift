import FileSystem

/// The problems an `error` was raised for, as kept in the store between cycles: one line each,
/// `<kind> \u{1} <identity> \u{1} <message, escaped>`, so that the next cycle knows which are new and
/// can name those that are gone. Lines from before identities were kept (a quoted message
/// alone) read as a problem whose identity is that text.
struct RaisedProblems {
    let problems: [CycleProblem]

    init(_ problems: [CycleProblem]) {
        self.problems = problems
    }

    init(stored: String) {
        problems = TextLines.lines(of: stored).compactMap { line in
            guard !line.isEmpty else { return nil }
            let fields = line.split(separator: "\u{1}", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let kind = CycleProblem.Kind(rawValue: String(fields[0])) else {
                return CycleProblem(kind: .cycle, identity: String(line), message: String(line))
            }
            return CycleProblem(kind: kind, identity: String(fields[1]), message: Self.unescaped(fields[2]))
        }
    }

    var identities: Set<String> { Set(problems.map(\.identity)) }

    /// What the store keeps: sorted by identity, so the same problems store the same text.
    var stored: String {
        problems.sorted { $0.identity < $1.identity }.map {
            "\($0.kind.rawValue)\u{1}\($0.identity)\u{1}\(Self.escaped($0.message))"
        }.joined(separator: "\n")
    }

    /// The message on one line: `\\`, `\n`, `\r` and the separator escaped.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\u{1}": result += "\\1"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The inverse of ``escaped(_:)``.
    static func unescaped(_ text: Substring) -> String {
        var result = ""
        var escaping = false
        for scalar in text.unicodeScalars {
            if escaping {
                switch scalar {
                case "n": result += "\n"
                case "r": result += "\r"
                case "1": result += "\u{1}"
                default: result.unicodeScalars.append(scalar)
                }
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
