import Foundation
import TestSupport
import Testing

/// The README's kms-drift command lines, run on the built binary with the exit status the
/// README documents for each (`# exit N: …`), so the text cannot drift from the binary.
@Suite("README examples")
struct ReadmeExamplesTests {
    static let readme = ReadmeExamples(
        markdown: (try? String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? "")

    /// What the prose around a block says to do before it that no line of the block does,
    /// keyed by the heading of the block's section. A heading listed here must exist.
    static let preparations: [String: @Sendable (ReadmeSandbox) throws -> Void] = [
        // The operator's first hour: the edit its `sed` line makes, and the cycle the daemon runs on it.
        "See an alert": { try ReadmeExamplesTests.editTimeoutAndTakeASnapshot($0) },
        "Accept a planned change": { try ReadmeExamplesTests.editTimeoutAndTakeASnapshot($0) },
        "Roll back an unplanned change": { try ReadmeExamplesTests.editTimeoutAndTakeASnapshot($0) },
        // The compose layout the `effective` example names: a mounted config/ and a party's env file.
        "`kms-drift effective`": { sandbox in
            try sandbox.directory.write(
                "compose/config/default.toml",
                "[service]\nlisten_address = \"0.0.0.0\"\nlisten_port = 50100\ntimeout_secs = 360\n")
            try sandbox.directory.write("compose/config/compose_1.toml", "[service]\ntimeout_secs = 60\n")
            try sandbox.directory.write("compose/party1.env", "KMS_CORE__THRESHOLD__MY_ID=1\n")
        },
        // Party 2's config as a test-suite template (`my_id = 0`) and the env file that completes it.
        "In `check`, `validate`, `consistency`, `fingerprint`": { sandbox in
            let party2 = try sandbox.directory.readText("party2.toml")
            let template = party2.replacingOccurrences(of: "my_id = 2", with: "my_id = 0")
            guard template != party2 else {
                throw SandboxError(reason: "party2.toml no longer sets my_id = 2")
            }
            try sandbox.directory.write("kms-core-threshold.toml", template)
            try sandbox.directory.write(
                "party2.env", "KMS_CORE__THRESHOLD__MY_ID=2\nKMS_CORE__SERVICE__TIMEOUT_SECS=60\n")
        },
        // "age-keygen -o key.txt" and "age-keygen -y key.txt > recipients.txt": the age
        // specification's example identity and its recipient.
        "Backups that survive the host: `export`, `import`": { sandbox in
            try sandbox.directory.write(
                "key.txt", "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n",
                mode: 0o600)
            try sandbox.directory.write(
                "recipients.txt", "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj\n")
        },
        // The dead node's newest export in /backup, the key off the node; the new machine's watched
        // directory and store empty.
        "Rebuild a node from its backup": { sandbox in
            try sandbox.directory.write(
                "key.txt", "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n",
                mode: 0o600)
            let export = try CLI.run(
                [
                    "export", "latest", "--output", sandbox.directory.path("backup/node.tar.zst.age"),
                    "--recipient",
                    "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj",
                ], environment: sandbox.environment([:]), currentDirectory: sandbox.directory.url)
            guard export.status == 0 else {
                throw SandboxError(reason: "kms-drift export exited \(export.status): \(export.stderr)")
            }
            try FileManager.default.removeItem(atPath: sandbox.directory.path("etc/kms"))
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(
                    atPath: sandbox.directory.path("var/lib/kms-drift/kms-drift.db" + suffix))
            }
        },
        // "journalctl -u kms-drift -o cat > journal.txt": the snapshot lines the history logged.
        "The hash chain: history that cannot be rewritten unnoticed": { sandbox in
            let verify = try CLI.run(
                ["verify"], environment: sandbox.environment([:]), currentDirectory: sandbox.directory.url)
            guard
                let head = verify.stdout.split(whereSeparator: \.isWhitespace).first(where: {
                    $0.hasPrefix("sha256:")
                })
            else {
                throw SandboxError(reason: "kms-drift verify printed no chain head: \(verify.stdout)")
            }
            try sandbox.directory.write(
                "journal.txt",
                "Nov 30 10:00:00 node kms-drift[7]: <6>snapshot=\(ReadmeSandbox.snapshotsTaken) chain=\(head) "
                    + "msg=\"snapshot recorded\"\n")
        },
        // "The coordinator distributes one keyring", "the others' statements arrive in statements/".
        "The network's agreement": { sandbox in try NetworkReadmePreparation.prepare(sandbox) },
    ]

    /// `sed -i 's/^timeout_secs = .*/timeout_secs = 30/' /etc/kms/kms-server.toml`, then the
    /// cycle the daemon would run on it (drift: exit 1).
    static func editTimeoutAndTakeASnapshot(_ sandbox: ReadmeSandbox) throws {
        let path = "etc/kms/kms-server.toml"
        let before = try sandbox.directory.readText(path)
        let after = before.replacingOccurrences(
            of: #"(?m)^timeout_secs = .*$"#, with: "timeout_secs = 30", options: .regularExpression)
        guard after != before else { throw SandboxError(reason: "\(path) no longer sets timeout_secs") }
        try sandbox.directory.write(path, after)
        let cycle = try CLI.run(
            ["snapshot"], environment: sandbox.environment([:]), currentDirectory: sandbox.directory.url)
        guard cycle.status == 1 else {
            throw SandboxError(
                reason: "the snapshot after the edit exited \(cycle.status), not 1: \(cycle.stderr)")
        }
    }

    @Test func theReadmeHasKmsDriftExamplesAndEveryLineReads() throws {
        let readme = Self.readme
        #expect(readme.problems.isEmpty, "\(readme.problems.map(\.description).joined(separator: "\n"))")
        // The sections an operator reads first have checked examples (a broken extractor finds none).
        let headings = Set(readme.blocks.map(\.heading))
        #expect(
            headings.contains { $0.contains("kms-drift check") },
            "no checked example under `kms-drift check`: \(headings)")
        #expect(
            headings.contains { $0.hasPrefix("History") }, "no checked example under History: \(headings)")
        #expect(
            readme.examples.count >= 15, "only \(readme.examples.count) kms-drift lines found in README.md")
    }

    @Test func everyKmsDriftLineDocumentsItsExitStatus() {
        let advice = Self.readme.examples.filter { $0.documentedStatus == nil }.map(\.annotationAdvice)
        if !advice.isEmpty { Issue.record("\(advice.joined(separator: "\n"))") }
    }

    @Test func everyPreparationNamesAHeadingThatHasExamples() {
        let headings = Set(Self.readme.blocks.map(\.heading))
        for heading in Self.preparations.keys {
            #expect(
                headings.contains(heading),
                "ReadmeExamplesTests.preparations names the section \"\(heading)\", which has no kms-drift block any more: rename the key to the section's new heading"
            )
        }
    }

    /// Runs one block's lines in order, in a sandbox of its own, each against its documented status.
    @Test(arguments: readme.blocks)
    func exampleBlockExitsAsDocumented(_ block: ReadmeExamples.Block) throws {
        try withTemporaryDirectory { directory in
            let sandbox = try ReadmeSandbox(in: directory)
            try Self.preparations[block.heading]?(sandbox)
            for example in block.examples {
                for command in example.commands {
                    let result = try run(command, in: sandbox, line: example.line)
                    guard let result, let documented = example.documentedStatus else { continue }
                    #expect(
                        result.status == documented && !result.terminatedBySignal,
                        """
                        README.md:\(example.line): `\(example.text)` exited \(result.status)\(result.terminatedBySignal ? " (signal)" : ""); \
                        the README documents exit \(documented). Fix the README if the text is wrong, the binary if it is.
                        stdout: \(result.stdout.suffix(1500))
                        stderr: \(result.stderr.suffix(1500))
                        """)
                }
            }
        }
    }

    /// Runs one kms-drift command of a line in the sandbox: as argv, or through `/bin/sh -c`
    /// when it needs a shell. Nil (and a recorded issue) when it names a path outside the sandbox.
    private func run(_ command: ReadmeExamples.Command, in sandbox: ReadmeSandbox, line: Int) throws
        -> ProcessResult?
    {
        let environment = CLI.environment(sandbox.environment(command.environment))
        if command.needsShell {
            let text = sandbox.map(command.shellText)
            let words = (try? ShellLine(text))?.segments.flatMap { $0.words.map(\.value) } ?? []
            if let outside = sandbox.unmappedAbsolutePath(in: words) {
                Issue.record(
                    "README.md:\(line): \(outside) is outside the sandbox; add it to ReadmeSandbox.pathTable")
                return nil
            }
            return try runProcess(
                "/bin/sh", ["-c", text], environment: environment, currentDirectory: sandbox.directory.url,
                timeout: 30)
        }
        let arguments = command.arguments.map(sandbox.map)
        if let outside = sandbox.unmappedAbsolutePath(in: arguments) {
            Issue.record(
                "README.md:\(line): \(outside) is outside the sandbox; add it to ReadmeSandbox.pathTable")
            return nil
        }
        return try runProcess(
            CLI.binary.path, arguments, environment: environment, currentDirectory: sandbox.directory.url,
            timeout: 30)
    }
}

/// The extraction itself, on made-up README text: what counts as a kms-drift line, what its
/// documented status is, and that an unannotated line is caught.
@Suite("README example extraction")
struct ReadmeExtractionTests {
    @Test func shellWordsFollowQuotesCommentsAndOperators() throws {
        let line = try ShellLine(#"kms-drift show '#12' "a b" c\ d   # exit 0: one file"#)
        #expect(line.segments.map { $0.words.map(\.value) } == [["kms-drift", "show", "#12", "a b", "c d"]])
        #expect(line.comment == "exit 0: one file")
        #expect(line.command == #"kms-drift show '#12' "a b" c\ d"#)

        let compound = try ShellLine("(umask 077 && kms-drift list); kms-drift pin 3 | tail -1")
        #expect(compound.segments.map { $0.words.first?.value } == ["umask", "kms-drift", "kms-drift"])
        #expect(compound.segments.map(\.needsShell) == [false, false, true])
        #expect(compound.segments.last?.text == "kms-drift pin 3 | tail -1")

        #expect(try ShellLine("kms-drift consistency party*.toml").segments[0].needsShell)
        #expect(try !ShellLine("kms-drift check --ignore 'telemetry.*' a b").segments[0].needsShell)
        #expect(throws: ShellLine.Error.self) { try ShellLine("kms-drift check 'a b") }
    }

    @Test func kmsDriftLinesAreFoundByTheirProgramOnly() {
        let readme = ReadmeExamples(
            markdown: """
                # Install
                ```sh
                sudo scripts/install     # not kms-drift
                systemctl enable --now kms-drift
                useradd --system kms-drift
                scripts/install-deps && swift build && .build/release/kms-drift snapshot --config c.toml   # exit 1: drift
                sudo -u kms-drift kms-drift list   # exit 0
                KMS_DRIFT_CONFIG= kms-drift check a.toml \\
                    b.toml    # exit 2, bad usage
                ```
                ## Output
                ```
                kms-drift check a b
                ```
                """)
        #expect(readme.blocks.count == 1)
        #expect(readme.blocks.first?.heading == "Install")
        let examples = readme.examples
        #expect(examples.map(\.line) == [6, 7, 8])
        #expect(examples.map(\.documentedStatus) == [1, 0, 2])
        #expect(
            examples.map { $0.commands.map(\.arguments) } == [
                [["snapshot", "--config", "c.toml"]], [["list"]], [["check", "a.toml", "b.toml"]],
            ])
        #expect(examples[2].commands.first?.environment == ["KMS_DRIFT_CONFIG": ""])
    }

    @Test func aLineWithoutAStatusIsReportedWithTheAnnotationToAdd() throws {
        let readme = ReadmeExamples(
            markdown: """
                ```sh
                kms-drift list        # id, time, files
                kms-drift verify
                kms-drift check a b   # exit 1 differences
                kms-drift check a b   # exits 1
                ```
                """)
        #expect(readme.examples.map(\.documentedStatus) == [nil, nil, 1, nil])
        let advice = readme.examples[0].annotationAdvice
        #expect(advice.contains("README.md:2:"))
        #expect(advice.contains("`kms-drift list   # exit N: id, time, files`"))
        #expect(
            readme.examples[1].annotationAdvice.contains("`kms-drift verify   # exit N: <what it shows>`"))
    }

    @Test func readmePathsMapIntoTheSandboxAtPathBoundariesOnly() {
        let map = { ReadmeSandbox.map($0, root: "/tmp/s") }
        #expect(map("/etc/kms") == "/tmp/s/etc/kms")
        #expect(map("/etc/kms-drift/kms-drift.toml") == "/tmp/s/etc/kms-drift/kms-drift.toml")
        #expect(map("--db=/var/lib/kms-drift/x.db") == "--db=/tmp/s/var/lib/kms-drift/x.db")
        #expect(
            map("sqlite3 /var/lib/kms-drift/kms-drift.db \".backup /backup/k.db\"")
                == "sqlite3 /tmp/s/var/lib/kms-drift/kms-drift.db \".backup /tmp/s/backup/k.db\"")
        #expect(map("/etc/kmsx") == "/etc/kmsx")
        #expect(map("/opt/etc/kms") == "/opt/etc/kms")
    }
}
