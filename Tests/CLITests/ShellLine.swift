import Foundation

/// A small POSIX-shell lexer for the README's example lines: enough to run a line as argv
/// (quotes, backslashes, comments) and to see when it needs a real shell (pipes, redirections,
/// globs, expansions). It never expands anything itself.
struct ShellLine: Equatable {
    /// One word, unquoted, with where it came from and whether only a shell can give its meaning.
    struct Word: Equatable {
        var value: String
        /// Where the word starts and ends in the line (character offsets), for `/bin/sh -c`.
        var range: Range<Int>
        /// An unquoted `*`, `?`, `[`, `$`, backquote or leading `~`: a shell would expand it.
        var needsShell: Bool
    }

    /// A command between `&&`, `||`, `;` and `&` (a subshell's parentheses removed).
    struct Segment: Equatable {
        var words: [Word]
        /// A pipe or a redirection in the segment: only a shell can run it.
        var hasShellOperator: Bool
        /// The segment's text as written (from its first word or operator to its last).
        var text: String
        /// Where `text` starts in the line (character offset).
        var start: Int
    }

    var segments: [Segment]
    /// The trailing comment without its `#`, trimmed; nil when there is none.
    var comment: String?
    /// The line before its comment, trimmed (the whole line when there is none).
    var command: String

    /// Why a line could not be split.
    struct Error: Swift.Error, Equatable, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// Splits `line` the way `sh` would into commands and words.
    init(_ line: String) throws {
        let characters = Array(line)
        var segments: [Segment] = []
        var words: [Word] = []
        var hasShellOperator = false
        var segmentStart: Int?
        var segmentEnd = 0
        var comment: String?
        var commentStart = characters.count

        var current = ""
        var currentStart: Int?
        var currentNeedsShell = false

        func finishWord(at end: Int) {
            if let start = currentStart {
                words.append(Word(value: current, range: start..<end, needsShell: currentNeedsShell))
                if segmentStart == nil { segmentStart = start }
                segmentEnd = end
            }
            current = ""
            currentStart = nil
            currentNeedsShell = false
        }
        func finishSegment() {
            if !words.isEmpty, let start = segmentStart {
                segments.append(
                    Segment(
                        words: words, hasShellOperator: hasShellOperator,
                        text: String(characters[start..<segmentEnd]), start: start))
            }
            words = []
            hasShellOperator = false
            segmentStart = nil
        }

        var index = 0
        while index < characters.count {
            let character = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case " ", "\t":
                finishWord(at: index)
                index += 1
            case "#" where currentStart == nil:
                comment = String(characters[(index + 1)...]).trimmingCharacters(in: .whitespaces)
                commentStart = index
                index = characters.count
            case "'":
                if currentStart == nil { currentStart = index }
                guard let close = characters[(index + 1)...].firstIndex(of: "'") else {
                    throw Error(reason: "a single quote opened at column \(index + 1) is never closed")
                }
                current += String(characters[(index + 1)..<close])
                index = close + 1
            case "\"":
                if currentStart == nil { currentStart = index }
                index += 1
                var closed = false
                while index < characters.count {
                    let inner = characters[index]
                    if inner == "\"" {
                        closed = true
                        index += 1
                        break
                    }
                    if inner == "\\", index + 1 < characters.count, "\"\\$`".contains(characters[index + 1]) {
                        current.append(characters[index + 1])
                        index += 2
                        continue
                    }
                    if inner == "$" || inner == "`" { currentNeedsShell = true }
                    current.append(inner)
                    index += 1
                }
                guard closed else { throw Error(reason: "a double quote is never closed") }
            case "\\":
                if currentStart == nil { currentStart = index }
                guard let next else {
                    throw Error(reason: "a backslash ends the line (join continued lines first)")
                }
                current.append(next)
                index += 2
            case "&" where next == "&", "|" where next == "|":
                finishWord(at: index)
                finishSegment()
                index += 2
            case ";", "&":
                finishWord(at: index)
                finishSegment()
                index += 1
            case "(", ")":
                // A subshell: its commands run as if they were written without it.
                finishWord(at: index)
                finishSegment()
                index += 1
            case "|", ">", "<":
                finishWord(at: index)
                hasShellOperator = true
                if segmentStart == nil { segmentStart = index }
                segmentEnd = index + 1
                index += 1
            default:
                if currentStart == nil {
                    currentStart = index
                    if character == "~" { currentNeedsShell = true }
                }
                if "*?[$`".contains(character) { currentNeedsShell = true }
                current.append(character)
                index += 1
            }
        }
        finishWord(at: characters.count)
        finishSegment()
        self.segments = segments
        self.comment = comment
        self.command = String(characters[..<commentStart]).trimmingCharacters(in: .whitespaces)
    }
}

extension ShellLine.Segment {
    /// Whether running the segment needs `/bin/sh -c`: a pipe, a redirection, a glob, an expansion.
    var needsShell: Bool { hasShellOperator || words.contains { $0.needsShell } }
}
