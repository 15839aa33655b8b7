import FileSystem

/// A glob over key paths, used by `--ignore`, the severity table and the identity table.
///
/// Written like a key path: `telemetry.*`, `threshold.peers[*].address`, `**.password`.
/// `*` matches one key (or, inside brackets, one array item), `**` any number of keys,
/// and `?`/`*` inside a name match characters (`PathGlob(name:)`). A pattern that matches a path also matches
/// everything below it, so `telemetry` covers `telemetry.batch.max_queue_size`.
package struct KeyPathPattern: Hashable, Sendable, CustomStringConvertible {
    enum Part: Hashable, Sendable {
        /// A glob over one table key.
        case key(PathGlob)
        /// A glob over one array item, written inside brackets: `*`, `3`, `party_id=3`.
        case item(PathGlob)
        /// `**`: zero or more segments of any kind.
        case anyDepth
    }

    package let description: String
    let parts: [Part]

    /// Parses a pattern; fails with a reason an operator can act on.
    /// The longest pattern accepted; a longer one is a mistake, not a need.
    package static let maximumLength = 1024

    package init(_ text: String) throws(DriftCoreError) {
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

        func nameGlob(_ glob: String) throws(DriftCoreError) -> PathGlob {
            do throws(PathGlobError) {
                return try PathGlob(name: glob)
            } catch {
                throw DriftCoreError.invalidPattern(text, reason: error.reason)
            }
        }

        func flushKey() throws(DriftCoreError) {
            if current == "**" {
                parts.append(.anyDepth)
            } else if !current.isEmpty {
                parts.append(.key(try nameGlob(current)))
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
                    parts.append(.item(try nameGlob(current)))
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
    package func matches(_ path: KeyPath) -> Bool {
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
            return glob.matches(name)
        case (.item(let glob), .position(let index)):
            return glob.matches(String(index))
        case (.item(let glob), .identity(let key, let value)):
            return glob.matches("\(key)=\(value)") || glob.matches(value)
        default:
            return false
        }
    }
}
