import Foundation
import TestSupport
import Testing

/// The bash completion the package installs (`kms-drift --generate-completion-script bash`),
/// driven as bash drives it on TAB: COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT set, the
/// completion function called, COMPREPLY read back.
@Suite("Shell completion")
struct CompletionTests {
    static let bash = Probe.executable(named: "bash")

    /// What bash would offer for `line` (the cursor at its end) in `directory`.
    static func complete(_ line: String, in directory: TemporaryDirectory) throws -> [String] {
        let script = try CLI.run(["--generate-completion-script", "bash"])
        try #require(script.status == 0, "\(script.stderr)")
        let scriptPath = try directory.write("kms-drift.bash", script.stdout)
        let function = try #require(
            script.stdout.split(separator: "\n").first { $0.hasPrefix("complete ") }?
                .split(separator: " ").drop { $0 != "-F" }.dropFirst().first,
            "no `complete -F` line in the bash completion script")
        var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if line.hasSuffix(" ") { words.append("") }
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let program = """
            shopt -s extglob
            source '\(scriptPath)'
            COMP_WORDS=(\(quoted))
            COMP_CWORD=\(words.count - 1)
            COMP_LINE='\(line)'
            COMP_POINT=${#COMP_LINE}
            \(function) "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let path =
            CLI.binary.deletingLastPathComponent().path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try runProcess(
            try #require(bash), ["--norc", "--noprofile", "-c", program],
            environment: CLI.environment(["PATH": path]),
            currentDirectory: directory.url, timeout: 30)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init).sorted()
    }

    @Test(.enabled(if: bash != nil, "bash is not installed"), .temporaryDirectory)
    func checkOffersFiles() throws {
        let directory = try TemporaryDirectory.current()
        try directory.write("ref.toml", "a = 1\n")
        try directory.write("cur.toml", "a = 2\n")
        try directory.makeDirectory("reference")
        let offered = try Self.complete("kms-drift check ", in: directory)
        for name in ["ref.toml", "cur.toml", "reference"] {
            #expect(offered.contains(name), "kms-drift check <TAB> offered \(offered)")
        }
        #expect(try Self.complete("kms-drift check r", in: directory) == ["ref.toml", "reference"])
        // The second argument too, and an option's file value.
        #expect(try Self.complete("kms-drift check ref.toml c", in: directory) == ["cur.toml"])
        #expect(try Self.complete("kms-drift snapshot --config c", in: directory) == ["cur.toml"])
    }

    @Test(.enabled(if: bash != nil, "bash is not installed"), .temporaryDirectory)
    func directoryOptionsOfferDirectoriesOnly() throws {
        let directory = try TemporaryDirectory.current()
        try directory.write("kms.toml", "a = 1\n")
        try directory.makeDirectory("kms")
        #expect(try Self.complete("kms-drift snapshot --dir k", in: directory) == ["kms"])
    }
}
