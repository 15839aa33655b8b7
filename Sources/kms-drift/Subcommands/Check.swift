import ArgumentParser
import DriftCore
import EffectiveConfig

extension KMSDrift {
    /// `kms-drift check REF CUR`: what differs in meaning between two configs, like `diff`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two TOML files, or two directories, by meaning.",
            discussion: """
                Comments, key order, quoting, number spelling, dotted keys and inline tables are \
                not differences; types are. Peers are matched by party_id. In directories, TOML \
                files are compared by meaning, other files by content; symlinks are not followed. \
                Only regular files are read (a symlink given as an argument is followed); FIFOs, \
                devices and files above --max-size are an error. With --env-file, --workdir, --run-mode \
                or --pid, CUR (a file, possibly a template) is read as what kms-server runs from it, and \
                each difference names its origin (a layer file:line or the environment variable).

                Exit status: 0 same meaning, 1 differences, 2 error.
                """)

        @Argument(help: "The reference: a TOML file or a directory.", completion: .file())
        var reference: String

        @Argument(help: "The current state: a TOML file or a directory.", completion: .file())
        var current: String

        @OptionGroup var report: ReportOptions
        @OptionGroup var limit: InputLimitOptions

        @Option(name: .customLong("toml"), help: "TOML version to read the files as.")
        var tomlVersion: TOMLVersionChoice = .v1_1

        @OptionGroup(title: "What kms-server runs (applied to CUR)") var sources: SourceOptions

        func run() throws {
            if !sources.isPlainFile {
                try compareWithEffective()
                return
            }
            ProcessLifetime.growHeapInLargeSteps()
            let key = try report.fingerprintKey()
            let comparison = TreeComparison(
                diff: ConfigDiff(ignoring: report.ignore), tomlVersion: tomlVersion.version,
                maximumFileSize: limit.maximumSize.bytes, contentKey: key)
            let outcome = try comparison.compare(paths: reference, current)
            for file in outcome.parsedFiles { ProcessLifetime.keepUntilExit(file.root) }
            Terminal.writeOutput(report.render(outcome.report, key: key))
            if !outcome.report.isClean { throw Diagnostics.findings }
        }

        /// REF against what kms-server runs from CUR with the chosen layers and environment.
        private func compareWithEffective() throws {
            let configuration = try EffectiveLoading.build(
                sources.sources(file: current, searchesLayersByDefault: false))
            let comparison = TreeComparison(
                diff: ConfigDiff(ignoring: report.ignore), tomlVersion: tomlVersion.version)
            let result = comparison.compare(
                try ConfigFile.load(reference, version: tomlVersion.version),
                try configuration.configFile(named: current))
            let annotated = ReportOrigins.annotate(result, file: "", with: configuration)
            Terminal.writeOutput(report.render(annotated, key: try report.fingerprintKey()))
            if !annotated.isClean { throw Diagnostics.findings }
        }
    }
}
