import Foundation
import TestSupport
import Testing

/// The built-in help as an operator reads it (`--help`, and the man pages made from it): one
/// wrapping, defaults written as a person writes them, one meaning per flag name, and a bare
/// `kms-drift` that is the usage error it is.
@Suite("Help texts")
struct HelpTextTests {
    /// Every command path, found from the help itself (the root's SUBCOMMANDS list, then each
    /// command's own), never from `--help`'s exit status: ArgumentParser prints the root help
    /// and exits 0 for an unknown command.
    static let commands: [[String]] = {
        var found: [[String]] = [[]]
        var pending: [[String]] = [[]]
        while let path = pending.popLast() {
            guard let help = try? CLI.run(path + ["--help"]).stdout else { continue }
            for name in subcommandNames(in: help) where !path.contains(name) {
                found.append(path + [name])
                pending.append(path + [name])
            }
        }
        return found
    }()

    /// The names listed under `SUBCOMMANDS:` (`  set (default)   …` gives `set`).
    static func subcommandNames(in help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("SUBCOMMANDS:") }) else { return [] }
        var names: [String] = []
        for line in lines[(start + 1)...] {
            if line.isEmpty || !line.hasPrefix("  ") { break }
            // An entry starts at column 2; its wrapped abstract is indented further.
            guard !line.hasPrefix("   ") else { continue }
            if let name = line.split(separator: " ").first, name != "help" { names.append(String(name)) }
        }
        return names
    }

    /// A line whose text is shorter than 30 characters followed by one that continues the same
    /// paragraph (same indentation, not a new entry): the mark of a discussion hand-wrapped in the
    /// source and wrapped again by ArgumentParser ("are\nnot differences").
    static func brokenLines(in help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var broken: [String] = []
        for (line, next) in zip(lines, lines.dropFirst()) {
            let text = line.drop { $0 == " " }
            let nextText = next.drop { $0 == " " }
            guard !text.isEmpty, !nextText.isEmpty, text.count < 30 else { continue }
            let indentation = line.count - text.count
            let nextIndentation = next.count - nextText.count
            let startsEntry = nextText.hasPrefix("-") || nextText.hasPrefix("<") || text.hasSuffix(":")
            if indentation == nextIndentation && !startsEntry { broken.append("\(line)⏎\(next)") }
        }
        return broken
    }

    /// The check itself, on the shape the issue reported: a source line hand-wrapped at 90
    /// columns and wrapped again at 80 leaves a short remainder before the next source line.
    @Test func aRewrappedDiscussionIsCaught() {
        let rewrapped = """
            OVERVIEW: Compare two TOML files.

            Comments, key order, quoting, number spelling, dotted keys and inline tables
            are
            not differences; types are.

            OPTIONS:
              --format <format>       Output format: text for people, json for machines.
                                      (values: text, json; default: text)
              -h, --help              Show help information.
            """
        #expect(Self.brokenLines(in: rewrapped) == ["are⏎not differences; types are."])
    }

    @Test func everyCommandIsFound() {
        let names = Set(Self.commands.map { $0.joined(separator: " ") })
        for expected in ["", "check", "validate", "effective", "render", "export", "baseline set"] {
            #expect(
                names.contains(expected), "`kms-drift \(expected) --help` was not reached: \(names.sorted())")
        }
    }

    @Test(arguments: commands)
    func helpIsWrappedOnceAndShowsDefaultsAsTyped(_ command: [String]) throws {
        let result = try CLI.run(command + ["--help"])
        let shown = "kms-drift \(command.joined(separator: " ")) --help"
        #expect(result.status == 0, "\(shown) exited \(result.status): \(result.stderr)")
        let broken = Self.brokenLines(in: result.stdout)
        #expect(
            broken.isEmpty, "\(shown): a short line continued on the next:\n\(broken.joined(separator: "\n"))"
        )
        // A Swift type in a default (`ByteSize(bytes: 67108864)`, `Optional(…)`) is not for people.
        let typeName = try Regex(#"default: [A-Za-z_][A-Za-z0-9_.]*\("#)
        #expect(
            result.stdout.firstMatch(of: typeName) == nil,
            "\(shown) prints a Swift value as a default:\n\(result.stdout)")
    }

    @Test func maximumSizeDefaultReadsAsTyped() throws {
        let help = try CLI.run(["check", "--help"]).stdout
        #expect(help.contains("default: 64M"), "\(help)")
    }

    @Test func keygenShowsItsDefaultOnce() throws {
        let help = try CLI.run(["keygen", "--help"]).stdout
        #expect(help.components(separatedBy: "/etc/kms-drift/signing.key").count == 2, "\(help)")
    }

    @Test func bareCommandIsAUsageError() throws {
        let result = try CLI.run([])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("USAGE: kms-drift <subcommand>"), "\(result.stderr)")
        #expect(result.stderr.contains("SUBCOMMANDS:"), "\(result.stderr)")
    }

    /// `--env` means an environment's policy (validate) and nothing else; "use my environment"
    /// is `--inherit-env` everywhere, the old spelling hidden but still accepted for a release.
    @Test func envHasOneMeaning() throws {
        for command in Self.commands {
            let help = try CLI.run(command + ["--help"]).stdout
            let listsEnv =
                help.contains("--env <") || help.range(of: #"--env\s"#, options: .regularExpression) != nil
            #expect(
                listsEnv == (command == ["validate"]),
                "kms-drift \(command.joined(separator: " ")) --help: --env listed \(listsEnv)")
        }
        for command in [["effective"], ["render"]] {
            let help = try CLI.run(command + ["--help"]).stdout
            #expect(help.contains("--inherit-env"), "\(command): \(help)")
        }
    }

    @Test(.temporaryDirectory) func renamedEnvFlagStillWorksAndSaysTheNewName() throws {
        let directory = try TemporaryDirectory.current()
        let demo = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("config/demo/reference/kms-server.toml"),
            encoding: .utf8)
        let template = demo.replacingOccurrences(
            of: "listen_address = \"0.0.0.0\"", with: "listen_address = \"${KMS_DRIFT_TEST_ADDRESS}\"")
        #expect(template != demo, "config/demo/reference no longer sets listen_address = \"0.0.0.0\"")
        try directory.write("t.toml", template)
        let environment = ["KMS_DRIFT_TEST_ADDRESS": "127.0.0.1"]
        let old = try CLI.run(
            ["render", "--env", "t.toml"], environment: environment, currentDirectory: directory.url)
        let new = try CLI.run(
            ["render", "--inherit-env", "t.toml"], environment: environment, currentDirectory: directory.url)
        #expect(old.status == new.status && old.stdout == new.stdout, "\(old.stderr) \(new.stderr)")
        #expect(old.status == 0 && old.stdout.contains("listen_address = \"127.0.0.1\""), "\(old.stderr)")
        #expect(old.stderr.contains("--env is now --inherit-env"), "\(old.stderr)")
        #expect(!new.stderr.contains("is now"), "\(new.stderr)")
    }
}
