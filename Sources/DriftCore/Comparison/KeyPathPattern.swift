/// A glob over key paths, used by `--ignore`, the severity table and the identity table.
///
/// Written like a key path: `telemetry.*`, `threshold.peers[*].address`, `**.password`.
/// `*` matches one key (or, inside brackets, one array item), `**` any number of keys,
/// and `?`/`*` inside a name match characters. A pattern that matches a path also matches
/// everything below it, so `telemetry` covers `telemetry.batch.max_queue_size`.
public struct KeyPathPattern: Hashable, Sendable, CustomStringConvertible {
    enum Part: Hashable, Sendable {
        /// A glob over one table key.
        case key(String)
        /// A glob over one array item, written inside brackets: `*`, `3`, `party_id=3`.
        case item(String)
        /// `**`: zero or more segments of any kind.
        case anyDepth
    }

    public let description: String
    let parts: [Part]

    /// Parses a pattern; fails with a reason an operator can act on.
    /// The longest pattern accepted; a longer one is a mistake, not a need.
    public static let maximumLength = 1024

    public init(_ text: String) throws(DriftCoreError) {
        description = text
        guard text.unicodeScalars.count <= Self.maximumLength else {
            throw DriftCoreError.invalidPattern(
                String(text.prefix(40)) + "…", reason: "longer than \(Self.maximumLength) characters")
        }
        var parts: [Part] = []
        var current = ""
        var inBracket = false
        var quoted = false
        var afterBracket = false

        func flushKey() throws(DriftCoreError) {
            if current == "**" {
                parts.append(.anyDepth)
            } else if !current.isEmpty {
                parts.append(.key(current))
            } else if !afterBracket {
                throw DriftCoreError.invalidPattern(text, reason: "a key between two dots is empty")
            }
            current = ""
        }

        for character in text {
            if quoted {
                if character == "\"" { quoted = false } else { current.append(character) }
                continue
            }
            if inBracket {
                if character == "]" {
                    parts.append(.item(current))
                    current = ""
                    inBracket = false
                    afterBracket = true
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                quoted = true
            case ".":
                try flushKey()
                afterBracket = false
            case "[":
                if !current.isEmpty { try flushKey() }
                inBracket = true
            default:
                afterBracket = false
                current.append(character)
            }
        }
        if quoted || inBracket {
            throw DriftCoreError.invalidPattern(
                text, reason: quoted ? "a quote is not closed" : "a bracket is not closed")
        }
        if !current.isEmpty || !afterBracket { try flushKey() }
        self.parts = parts
    }

    /// True when `path` or one of its ancestors matches the pattern.
    ///
    /// Dynamic programming over (pattern part, path segment): time proportional to parts ×
    /// segments whatever the pattern, so `**.**.**.**.b` on a 400-deep key path is as quick as
    /// any other pattern (a backtracking matcher takes exponential time there).
    public func matches(_ path: KeyPath) -> Bool {
        let segments = path.segments
        let count = segments.count
        // row[j]: the parts from the current one onwards match a prefix of segments[j...]
        // (a prefix, because a pattern that matches an ancestor covers everything below it).
        var next = [Bool](repeating: true, count: count + 1)
        var row = next
        for part in parts.reversed() {
            swap(&row, &next)
            switch part {
            case .anyDepth:
                row[count] = next[count]
                for j in stride(from: count - 1, through: 0, by: -1) { row[j] = next[j] || row[j + 1] }
            default:
                row[count] = false
                for j in 0..<count { row[j] = next[j + 1] && Self.part(part, matches: segments[j]) }
            }
        }
        return row[0]
    }

    private static func part(_ part: Part, matches segment: KeyPath.Segment) -> Bool {
        switch (part, segment) {
        case (.key(let glob), .key(let name)):
            return Glob.matches(glob, name)
        case (.item(let glob), .position(let index)):
            return Glob.matches(glob, String(index))
        case (.item(let glob), .identity(let key, let value)):
            return Glob.matches(glob, "\(key)=\(value)") || Glob.matches(glob, value)
        default:
            return false
        }
    }
}

/// Shell-style matching of `*` and `?` over the characters of one name.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern.unicodeScalars)
        let text = Array(text.unicodeScalars)
        var patternIndex = 0
        var textIndex = 0
        var starIndex: Int? = nil
        var resumeIndex = 0
        while textIndex < text.count {
            if patternIndex < pattern.count,
                pattern[patternIndex] == "?" || pattern[patternIndex] == text[textIndex]
            {
                patternIndex += 1
                textIndex += 1
            } else if patternIndex < pattern.count, pattern[patternIndex] == "*" {
                starIndex = patternIndex
                resumeIndex = textIndex
                patternIndex += 1
            } else if let star = starIndex {
                patternIndex = star + 1
                resumeIndex += 1
                textIndex = resumeIndex
            } else {
                return false
            }
        }
        while patternIndex < pattern.count, pattern[patternIndex] == "*" { patternIndex += 1 }
        return patternIndex == pattern.count
    }
}
