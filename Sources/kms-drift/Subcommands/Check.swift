import ArgumentParser
import DriftCore

extension KMSDrift {
    /// `kms-drift check REF CUR`: what differs in meaning between two configs, like `diff`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two TOML files, or two directories, by meaning.",
            discussion: """
                Comments, key order, quoting, number spelling, dotted keys and inline tables are
                not differences; types are. Peers are matched by party_id. In directories, TOML
                files are compared by meaning, other files by content; symlinks are not followed.
                Exit status: 0 same meaning, 1 differences, 2 error.
                """)

        @Argument(help: "The reference: a TOML file or a directory.")
        var reference: String

        @Argument(help: "The current state: a TOML file or a directory.")
        var current: String

        @OptionGroup var report: ReportOptions

        @Option(name: .customLong("toml"), help: "TOML version to read the files as.")
        var tomlVersion: TOMLVersionChoice = .v1_1

        func run() throws {
            ProcessLifetime.growHeapInLargeSteps()
            let comparison = TreeComparison(
                diff: ConfigDiff(ignoring: report.ignore), tomlVersion: tomlVersion.version)
            let outcome = try comparison.compare(paths: reference, current)
            for file in outcome.parsedFiles { ProcessLifetime.keepUntilExit(file.root) }
            Terminal.writeOutput(report.render(outcome.report))
            if !outcome.report.isClean { throw Diagnostics.findings }
        }
    }
}
