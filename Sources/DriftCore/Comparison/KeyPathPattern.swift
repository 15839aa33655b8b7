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
    public init(_ text: String) throws(DriftCoreError) {
        description = text
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
    public func matches(_ path: KeyPath) -> Bool {
        matchesPrefix(parts[...], path.segments[...])
    }

    /// True when the pattern matches `path` itself or an ancestor (prefix semantics).
    private func matchesPrefix(_ pattern: ArraySlice<Part>, _ segments: ArraySlice<KeyPath.Segment>) -> Bool {
        guard let first = pattern.first else { return true }
        if case .anyDepth = first {
            let rest = pattern.dropFirst()
            var remaining = segments
            while true {
                if matchesPrefix(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        }
        guard let segment = segments.first, Self.part(first, matches: segment) else { return false }
        return matchesPrefix(pattern.dropFirst(), segments.dropFirst())
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
