/// A glob over paths relative to the watched directory, with gitignore's meaning.
///
/// - `*` matches any run of characters except `/`; `?` one character except `/`;
///   `[abc]`, `[a-z]`, `[!a-z]` one character of (or not of) a set, never `/`; `\` escapes.
/// - A pattern with no `/` (other than a trailing one) matches a name at any depth:
///   `*.swp` matches `a.swp` and `sub/dir/a.swp`.
/// - A pattern with a `/` is anchored at the watched directory: `sub/*.toml` matches
///   `sub/a.toml`, not `x/sub/a.toml`; a leading `/` only anchors (`/a.toml` is the top file).
/// - `**/` matches zero or more directories (`**/*.toml` matches `a.toml` and `x/y/a.toml`),
///   `/**` at the end everything inside, `/**/` zero or more directories in the middle.
/// - A trailing `/` matches directories only (`cache/`).
/// - A pattern that matches a directory matches everything below it.
///
/// Matching takes time proportional to pattern length × path length, whatever the pattern:
/// no backtracking, so no input can make it exponential.
package struct PathGlob: Hashable, Sendable, CustomStringConvertible {
    enum Token: Hashable, Sendable {
        case literal(Unicode.Scalar)
        /// `?`
        case anyCharacter
        /// `*`
        case anyRun
        /// `[...]`: ranges of scalars, possibly negated.
        case characterClass(ranges: [ClosedRange<UInt32>], negated: Bool)
        /// `**/`: the empty string or any string ending in `/` (zero or more whole directories).
        case directories
        /// `/**` at the end (after its `/`): one or more characters, `/` included.
        case everything
    }

    /// The longest pattern accepted; a longer one is a configuration mistake, not a need.
    package static let maximumLength = 1024

    package let description: String
    let tokens: [Token]
    /// Set when the pattern ends in `/`: it matches directories only.
    let directoryOnly: Bool
    /// Set for a glob over one name (`init(name:)`): `/` is an ordinary character.
    let nameOnly: Bool

    /// Parses a pattern over relative paths, or fails with the reason an operator can act on.
    package init(_ text: String) throws(PathGlobError) {
        description = text
        var scalars = try Self.checkedScalars(text)
        directoryOnly = scalars.count > 1 && scalars.last == "/"
        if directoryOnly { scalars.removeLast() }
        guard scalars != ["/"] else {
            throw PathGlobError(
                pattern: text, reason: "\"/\" names the watched directory itself, not a path in it")
        }
        let anchored = scalars.dropLast().contains("/") || scalars.first == "/"
        if scalars.first == "/" { scalars.removeFirst() }
        nameOnly = false
        tokens =
            (anchored ? [] : [.directories]) + (try Self.tokens(of: scalars, pattern: text, nameOnly: false))
    }

    /// Parses a glob over one name (a file name, a TOML key): `*`, `?`, `[...]` and `\` as in
    /// `init(_:)`, but `/` is an ordinary character and `**` is `*`.
    package init(name text: String) throws(PathGlobError) {
        description = text
        directoryOnly = false
        nameOnly = true
        tokens = try Self.tokens(of: try Self.checkedScalars(text), pattern: text, nameOnly: true)
    }

    private static func checkedScalars(_ text: String) throws(PathGlobError) -> [Unicode.Scalar] {
        guard !text.isEmpty else { throw PathGlobError(pattern: text, reason: "the pattern is empty") }
        guard text.unicodeScalars.count <= Self.maximumLength else {
            throw PathGlobError(
                pattern: String(text.prefix(40)) + "…",
                reason: "the pattern is longer than \(Self.maximumLength) characters")
        }
        let scalars = Array(text.unicodeScalars)
        if scalars.contains("\u{0}") {
            throw PathGlobError(pattern: text, reason: "the pattern contains a NUL character")
        }
        return scalars
    }

    private static func tokens(of scalars: [Unicode.Scalar], pattern text: String, nameOnly: Bool)
        throws(PathGlobError) -> [Token]
    {
        var tokens: [Token] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let atSegmentStart = index == 0 || scalars[index - 1] == "/"
            switch scalar {
            case "\\":
                guard index + 1 < scalars.count else {
                    throw PathGlobError(pattern: text, reason: "a backslash at the end escapes nothing")
                }
                tokens.append(.literal(scalars[index + 1]))
                index += 2
            case "*":
                var end = index
                while end < scalars.count && scalars[end] == "*" { end += 1 }
                let run = end - index
                let atSegmentEnd = end == scalars.count || scalars[end] == "/"
                if !nameOnly && run >= 2 && atSegmentStart && atSegmentEnd {
                    if end == scalars.count {
                        // `**` alone, or `/**` at the end: everything (inside).
                        tokens.append(.everything)
                        index = end
                    } else {
                        tokens.append(.directories)
                        index = end + 1
                    }
                } else {
                    // Other runs of asterisks are ordinary `*` (gitignore's rule).
                    tokens.append(.anyRun)
                    index = end
                }
            case "?":
                tokens.append(.anyCharacter)
                index += 1
            case "[":
                let (token, next) = try Self.parseClass(
                    scalars, from: index, pattern: text, nameOnly: nameOnly)
                tokens.append(token)
                index = next
            default:
                tokens.append(.literal(scalar))
                index += 1
            }
        }
        return tokens
    }

    private static func parseClass(
        _ scalars: [Unicode.Scalar], from start: Int, pattern: String, nameOnly: Bool
    ) throws(PathGlobError) -> (Token, Int) {
        var index = start + 1
        var negated = false
        if index < scalars.count && (scalars[index] == "!" || scalars[index] == "^") {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while index < scalars.count {
            var scalar = scalars[index]
            if scalar == "]" && !first {
                guard !ranges.isEmpty else { break }
                return (.characterClass(ranges: ranges, negated: negated), index + 1)
            }
            first = false
            if scalar == "\\" && index + 1 < scalars.count {
                index += 1
                scalar = scalars[index]
            }
            if scalar == "/" && !nameOnly {
                throw PathGlobError(pattern: pattern, reason: "a character class [...] cannot hold \"/\"")
            }
            if index + 2 < scalars.count && scalars[index + 1] == "-" && scalars[index + 2] != "]" {
                let upper = scalars[index + 2]
                guard scalar.value <= upper.value else {
                    throw PathGlobError(
                        pattern: pattern, reason: "the range \(scalar)-\(upper) in [...] runs backwards")
                }
                ranges.append(scalar.value...upper.value)
                index += 3
            } else {
                ranges.append(scalar.value...scalar.value)
                index += 1
            }
        }
        throw PathGlobError(
            pattern: pattern, reason: "a \"[\" is not closed by \"]\" (write \\[ for a bracket)")
    }

    /// True when the pattern matches `path` (relative, `/`-separated) or one of its parent
    /// directories. `isDirectory` says whether `path` itself is a directory.
    package func matches(_ path: String, isDirectory: Bool = false) -> Bool {
        let text = Array(path.unicodeScalars)
        let count = text.count
        // The separator: none in a name glob, where `/` is an ordinary character.
        let slash: Unicode.Scalar? = nameOnly ? nil : "/"
        // row[j]: the tokens from the current one onwards match text[j...] followed by either the
        // end of the path or a "/" (a parent directory matched: everything below it matches).
        var row = [Bool](repeating: false, count: count + 1)
        for j in 0...count {
            let atEnd = j == count
            let atParent = !atEnd && text[j] == slash && j > 0
            row[j] = atParent || (atEnd && (!directoryOnly || isDirectory))
        }
        var next = row
        for token in tokens.reversed() {
            swap(&row, &next)  // `next` now holds the row of the following token
            switch token {
            case .literal(let scalar):
                for j in 0...count { row[j] = j < count && text[j] == scalar && next[j + 1] }
            case .anyCharacter:
                for j in 0...count { row[j] = j < count && text[j] != slash && next[j + 1] }
            case .characterClass(let ranges, let negated):
                for j in 0...count {
                    guard j < count, text[j] != slash else {
                        row[j] = false
                        continue
                    }
                    let inside = ranges.contains { $0.contains(text[j].value) }
                    row[j] = inside != negated && next[j + 1]
                }
            case .anyRun:
                row[count] = next[count]
                for j in stride(from: count - 1, through: 0, by: -1) {
                    row[j] = next[j] || (text[j] != slash && row[j + 1])
                }
            case .directories:
                // Empty, or any run ending in "/": row[j] = next[j] || next[k] for a k > j after a "/".
                var afterSlash = false
                for j in stride(from: count, through: 0, by: -1) {
                    if j < count && text[j] == "/" && next[j + 1] { afterSlash = true }
                    row[j] = next[j] || afterSlash
                }
            case .everything:
                var later = false
                for j in stride(from: count, through: 0, by: -1) {
                    row[j] = later
                    if next[j] { later = true }
                }
            }
        }
        return row[0]
    }
}

/// A glob that cannot be used, and why.
package struct PathGlobError: Error, Sendable, Equatable, CustomStringConvertible {
    package var pattern: String
    package var reason: String

    package var description: String { "invalid pattern \"\(pattern)\": \(reason)" }
}
