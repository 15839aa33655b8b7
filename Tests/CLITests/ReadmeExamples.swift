import Foundation
import Testing

/// The `kms-drift` command lines of the README's ```sh blocks, each with the exit status the
/// README documents for it in a trailing comment (`kms-drift check a.toml b.toml   # exit 1: …`).
///
/// A line runs kms-drift when one of its commands (between `&&`, `||`, `;`, inside a `( … )`
/// subshell, after `sudo` and its options and `NAME=value` assignments) is `kms-drift` or a path
/// ending in `/kms-drift`. Every other line (`systemctl …`, `sudo scripts/install`, `swift
/// test`) is left alone, and so are the other commands of a kms-drift line: the test runs the
/// kms-drift ones on the built binary.
struct ReadmeExamples {
    /// One ```sh block that holds at least one kms-drift line.
    struct Block: Sendable, CustomTestStringConvertible {
        /// The README line of the opening fence.
        var line: Int
        /// The heading of the section the block is in (without the `#`s).
        var heading: String
        var examples: [Example]

        var testDescription: String { "README.md:\(line) (\(heading))" }
    }

    /// One README line that runs kms-drift.
    struct Example: Sendable {
        var line: Int
        /// The line as written, continuation lines joined.
        var text: String
        /// The line without its trailing comment.
        var command: String
        /// The trailing comment, without `#`.
        var comment: String?
        /// The status in the trailing `# exit N` comment; nil when the line documents none.
        var documentedStatus: Int32?
        /// The kms-drift commands of the line, in order.
        var commands: [Command]

        /// What an unannotated line should become, said in the failure.
        var annotationAdvice: String {
            let existing = comment.map { ": \($0)" } ?? ": <what it shows>"
            return "README.md:\(line): `\(text)` runs kms-drift but documents no exit status. "
                + "Append the status it exits with (in the test's sandbox, ReadmeSandbox.swift) as the start of its "
                + "trailing comment, keeping any comment after a colon: `\(command)   # exit N\(existing)` "
                + "(N = 0 nothing to report, 1 drift or violations, 2 error)."
        }
    }

    /// One kms-drift command of an example line.
    struct Command: Sendable {
        /// `NAME=value` words before the program.
        var environment: [String: String]
        /// The arguments after the program name, unquoted.
        var arguments: [String]
        /// The command as written from the program name on, for `/bin/sh -c` when `needsShell`.
        var shellText: String
        /// A pipe, a redirection, a glob or an expansion: run it through `/bin/sh -c`.
        var needsShell: Bool
    }

    /// A line that could not be read (an unclosed quote), with where it is.
    struct Problem: Sendable, CustomStringConvertible {
        var line: Int
        var text: String
        var reason: String
        var description: String { "README.md:\(line): `\(text)`: \(reason)" }
    }

    var blocks: [Block] = []
    var problems: [Problem] = []

    /// Every example line of every block, in README order.
    var examples: [Example] { blocks.flatMap(\.examples) }

    /// Reads the ```sh (also `bash`, `shell`) blocks of `markdown`.
    init(markdown: String) {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var heading = "(top)"
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("```") {
                let language = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                let opening = index + 1
                var body: [(Int, String)] = []
                index += 1
                while index < lines.count, !lines[index].hasPrefix("```") {
                    body.append((index + 1, lines[index]))
                    index += 1
                }
                index += 1
                if ["sh", "bash", "shell"].contains(language) {
                    let examples = readBlock(body)
                    if !examples.isEmpty {
                        blocks.append(Block(line: opening, heading: heading, examples: examples))
                    }
                }
                continue
            }
            if line.hasPrefix("#") {
                heading = String(line.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces)
            }
            index += 1
        }
    }

    /// The example lines of one block: continuation lines joined, kms-drift lines kept.
    private mutating func readBlock(_ body: [(Int, String)]) -> [Example] {
        var examples: [Example] = []
        var pending: (line: Int, text: String)?
        for (number, raw) in body {
            var text = raw
            let continues = text.hasSuffix("\\")
            if continues { text.removeLast() }
            if let started = pending {
                pending = (started.line, started.text + " " + text.trimmingCharacters(in: .whitespaces))
            } else {
                pending = (number, text)
            }
            if continues { continue }
            let (line, joined) = pending!
            pending = nil
            let trimmed = joined.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            do {
                let parsed = try ShellLine(trimmed)
                let commands = parsed.segments.compactMap(Self.kmsDriftCommand)
                if commands.isEmpty { continue }
                examples.append(
                    Example(
                        line: line, text: trimmed, command: parsed.command, comment: parsed.comment,
                        documentedStatus: Self.documentedStatus(parsed.comment),
                        commands: commands))
            } catch {
                problems.append(Problem(line: line, text: trimmed, reason: "\(error)"))
            }
        }
        return examples
    }

    /// The status of a trailing comment that starts `exit N` (then the end, `:`, `,`, `;` or a space).
    static func documentedStatus(_ comment: String?) -> Int32? {
        guard let comment, comment.hasPrefix("exit ") else { return nil }
        let rest = comment.dropFirst(5)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let status = Int32(digits) else { return nil }
        let after = rest.dropFirst(digits.count).first
        guard after == nil || [":", ",", ";", " "].contains(after!) else { return nil }
        return status
    }

    /// The segment as a kms-drift command, or nil when its program is something else.
    static func kmsDriftCommand(_ segment: ShellLine.Segment) -> Command? {
        var words = segment.words[...]
        var environment: [String: String] = [:]
        while let word = words.first, let equals = word.value.firstIndex(of: "="),
            word.value[..<equals].allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }),
            word.value.first.map({ !$0.isNumber && $0 != "=" }) == true
        {
            environment[String(word.value[..<equals])] = String(
                word.value[word.value.index(after: equals)...])
            words = words.dropFirst()
        }
        if words.first?.value == "sudo" {
            words = words.dropFirst()
            // sudo's options; those that take a value take the next word unless it is attached.
            let withValue: Set<String> = ["-u", "-g", "-U", "-C", "-D", "-h", "-p", "-r", "-t", "-T"]
            while let option = words.first?.value, option.hasPrefix("-") {
                words = words.dropFirst()
                if option == "--" { break }
                if withValue.contains(option) { words = words.dropFirst() }
            }
        }
        guard let program = words.first, program.value == "kms-drift" || program.value.hasSuffix("/kms-drift")
        else { return nil }
        let fromProgram = String(segment.text.dropFirst(program.range.lowerBound - segment.start))
        return Command(
            environment: environment, arguments: words.dropFirst().map(\.value),
            shellText: fromProgram, needsShell: segment.needsShell)
    }
}
