import Foundation
import TestSupport
import Testing

/// Every path option of every command, typed as people type it: a bare name, `./name`,
/// `sub/name` and an absolute path, from a working directory that is not the package root, and
/// `-` where standard input or output is allowed. No command traps on any of them (a bare
/// `export --output node.age` used to die with "String index is out of bounds"), and what a
/// command writes lands where the path says.
@Suite("path options as users type them", .temporaryDirectory)
struct PathOptionTests {
    /// How a path is typed.
    enum Form: String, CaseIterable, CustomStringConvertible {
        case bare, dotSlash, subdirectory, absolute
        var description: String { rawValue }

        /// Where files of this form live, relative to the working directory.
        var directory: String {
            switch self {
            case .bare, .dotSlash: ""
            case .subdirectory: "sub/"
            case .absolute: "abs/"
            }
        }

        /// `name` as typed in this form, from `cwd`.
        func typed(_ name: String, cwd: String) -> String {
            switch self {
            case .bare: name
            case .dotSlash: "./" + name
            case .subdirectory: "sub/" + name
            case .absolute: cwd + "/abs/" + name
            }
        }
    }

    static let identity = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n"
    static let recipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"

    /// One command line of the table: `{name}` marks a path typed in the form under test.
    struct Step: CustomStringConvertible {
        var arguments: [String]
        /// Exit statuses that are the command's documented answer here.
        var statuses: Set<Int32> = [0]
        /// A path (a `{name}`) the command must have written.
        var writes: String? = nil
        /// What standard error must say (a documented refusal that proves the path was read).
        var stderrContains: String? = nil
        var description: String { arguments.joined(separator: " ") }
    }

    static let steps: [Step] = [
        Step(arguments: ["snapshot", "--dir", "{tree}", "--db", "{history.db}"], writes: "history.db"),
        Step(arguments: ["snapshot", "--config", "{kms-drift.toml}"], writes: "config.db"),
        Step(arguments: ["list", "--db", "{history.db}"]),
        Step(arguments: ["show", "latest", "--db", "{history.db}"]),
        Step(arguments: ["diff", "latest", "--dir", "{tree}", "--db", "{history.db}"]),
        Step(arguments: ["verify", "--db", "{history.db}"]),
        Step(arguments: ["baseline", "set", "latest", "--reason", "r", "--db", "{history.db}"]),
        Step(
            arguments: [
                "export", "latest", "--db", "{history.db}", "--recipient", recipient, "--output",
                "{node.age}",
            ],
            writes: "node.age"),
        Step(
            arguments: [
                "export", "latest", "--db", "{history.db}", "--recipients-file", "{recipients.txt}",
                "--output",
                "{node2.age}",
            ], writes: "node2.age"),
        Step(
            arguments: ["export", "latest", "--db", "{history.db}", "--plain", "--output", "{node.tar}"],
            writes: "node.tar"),
        Step(
            arguments: ["import", "{node.age}", "--identity", "{key.txt}", "--db", "{imported.db}"],
            writes: "imported.db"),
        Step(
            arguments: ["restore", "latest", "--db", "{history.db}", "--to", "{restored}"],
            writes: "restored/a.toml"),
        Step(
            arguments: [
                "restore", "--from", "{node.age}", "--identity", "{key.txt}", "--dir", "{tree}", "--to",
                "{from}",
            ],
            writes: "from/a.toml"),
        Step(
            arguments: [
                "rebuild", "{node.age}", "--identity", "{key.txt}", "--dir", "{rebuilt}", "--db",
                "{rebuilt.db}",
            ],
            writes: "rebuilt/a.toml"),
        Step(arguments: ["check", "{ref.toml}", "{cur.toml}"], statuses: [1]),
        Step(arguments: ["check", "{tree}", "{tree}", "--secret-key-file", "{secret.key}"]),
        Step(arguments: ["validate", "{cur.toml}"], statuses: [0, 1]),
        Step(arguments: ["consistency", "{ref.toml}", "{cur.toml}"], statuses: [0, 1]),
        Step(arguments: ["fingerprint", "{ref.toml}"], statuses: [0, 1]),
        Step(
            arguments: [
                "render", "{template.toml}", "--env-file", "{party.env}", "--output", "{rendered.toml}",
            ],
            writes: "rendered.toml"),
        Step(arguments: ["keygen", "--output", "{signing.key}"], writes: "signing.key"),
        // An empty witness file, read where typed: it holds no head, which is the error.
        Step(
            arguments: ["verify", "--db", "{history.db}", "--witness", "{journal.txt}"], statuses: [2],
            stderrContains: "journal.txt holds no chain head"),
    ]

    @Test("every path option, in every form", arguments: Form.allCases)
    func everyPathOption(_ form: Form) throws {
        let temp = try TemporaryDirectory.current()
        let cwd = temp.path("work")
        let place = "work/" + form.directory
        try temp.write(place + "tree/a.toml", "threshold = 4\n")
        try temp.write(
            place + "kms-drift.toml", "[watch]\ndirectory = \"tree\"\n[store]\ndatabase = \"config.db\"\n")
        try temp.write(place + "key.txt", Self.identity, mode: 0o600)
        try temp.write(place + "recipients.txt", Self.recipient + "\n")
        try temp.write(place + "ref.toml", "[service]\nlisten_port = 50100\n")
        try temp.write(place + "cur.toml", "[service]\nlisten_port = 50101\n")
        try temp.write(place + "secret.key", String(repeating: "k", count: 32))
        // The demo's reference, its service port a variable: a template that renders to a valid config.
        let reference = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("config/demo/reference/kms-server.toml"),
            encoding: .utf8)
        let template = reference.replacingOccurrences(
            of: "listen_port = 50100", with: "listen_port = ${PORT}")
        #expect(template != reference)
        try temp.write(place + "template.toml", template)
        try temp.write(place + "party.env", "PORT=50100\n")
        try temp.write(place + "journal.txt", "")  // the witnessed head is written after the first snapshot
        _ = try temp.makeDirectory("work/sub")
        _ = try temp.makeDirectory("work/abs")
        for step in Self.steps {
            let arguments = step.arguments.map { argument in
                guard argument.hasPrefix("{"), argument.hasSuffix("}") else { return argument }
                return form.typed(String(argument.dropFirst().dropLast()), cwd: cwd)
            }
            let result = try CLI.run(arguments, currentDirectory: URL(fileURLWithPath: cwd))
            #expect(
                !result.terminatedBySignal && !result.stderr.contains("Fatal error"),
                "\(form) \(arguments): \(result.stderr)")
            #expect(
                step.statuses.contains(result.status),
                "\(form) \(arguments) exited \(result.status): \(result.stderr)")
            if let expected = step.stderrContains {
                #expect(result.stderr.contains(expected), "\(form) \(arguments): \(result.stderr)")
            }
            if let written = step.writes {
                #expect(
                    FileManager.default.fileExists(atPath: temp.path(place + written)), "\(form) \(arguments)"
                )
            }
        }
    }

    @Test(
        "export with no --output writes the documented file here; --output - and import - use the standard streams"
    )
    func defaultsAndStandardStreams() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("work/tree/a.toml", "threshold = 4\n")
        let cwd = URL(fileURLWithPath: temp.path("work"))
        #expect(
            try CLI.run(["snapshot", "--dir", "tree", "--db", "history.db"], currentDirectory: cwd).status
                == 0)
        let exported = try CLI.run(
            ["export", "latest", "--db", "history.db", "--recipient", Self.recipient], currentDirectory: cwd)
        #expect(exported.status == 0, "\(exported.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: cwd.path).filter {
            $0.hasSuffix(".tar.zst.age")
        }
        #expect(names.count == 1)
        // <host>-<store>-<chain>-<UTC time>.tar.zst.age
        let parts = names.first?.dropLast(".tar.zst.age".count).split(separator: "-") ?? []
        #expect(parts.count >= 4)
        #expect(parts.suffix(3).first?.count == 16)
        #expect(parts.suffix(2).first?.count == 12)
        #expect(parts.last?.hasSuffix("Z") == true)
        #expect(exported.stdout.contains(names.first ?? "?"))

        let streamed = try CLI.run(
            ["export", "latest", "--db", "history.db", "--plain", "--output", "-"], currentDirectory: cwd)
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(streamed.stderr.contains("to standard output"))
        let imported = try runProcess(
            CLI.binary.path, ["import", "-", "--db", "piped.db"], stdin: streamed.standardOutput,
            environment: CLI.environment(), currentDirectory: cwd)
        #expect(imported.status == 0, "\(imported.stderr)")
        let restored = try runProcess(
            CLI.binary.path, ["restore", "--from", "-", "--dir", "tree", "--to", "out"],
            stdin: streamed.standardOutput,
            environment: CLI.environment(), currentDirectory: cwd)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(FileManager.default.fileExists(atPath: cwd.path + "/out/a.toml"))
        let rebuild = try CLI.run(["rebuild", "-", "--dir", "empty", "--db", "r.db"], currentDirectory: cwd)
        #expect(rebuild.status == 2)
        #expect(rebuild.stderr.contains("give a file, not -"))
    }
}
