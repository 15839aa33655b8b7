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
                diff: ConfigDiff(ignoring: report.ignorePatterns()), tomlVersion: tomlVersion.version)
            let result: DriftReport
            do {
                if try PathKind.of(reference) == .file, try PathKind.of(current) == .file {
                    let pair = try ConfigFile.loadPair(reference, current, version: tomlVersion.version)
                    ProcessLifetime.keepUntilExit(pair.0.root)
                    ProcessLifetime.keepUntilExit(pair.1.root)
                    result = comparison.compare(pair.0, pair.1)
                } else {
                    result = try Self.compare(reference, current, using: comparison)
                }
            } catch {
                Terminal.writeError("kms-drift: \(error.description)\n")
                throw ExitCode(2)
            }
            Terminal.writeOutput(report.render(result))
            if !result.isClean { throw ExitCode(1) }
        }

        static func compare(_ reference: String, _ current: String, using comparison: TreeComparison)
            throws(DriftCoreError) -> DriftReport
        {
            let referenceKind = try PathKind.of(reference)
            let currentKind = try PathKind.of(current)
            switch (referenceKind, currentKind) {
            case (.directory, .directory):
                return try comparison.compare(
                    reference: DirectoryTree(root: reference), current: DirectoryTree(root: current))
            case (.file, .file):
                return try comparison.compareFiles(reference: reference, current: current)
            default:
                throw .kindMismatch(
                    reference: reference, current: current, referenceIsDirectory: referenceKind == .directory)
            }
        }
    }
}
