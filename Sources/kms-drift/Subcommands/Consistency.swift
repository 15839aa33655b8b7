import ArgumentParser
import DriftOperations
import KMSValidation

extension KMSDrift {
    /// `kms-drift consistency FILE...`: do all parties agree on what they must share?
    struct Consistency: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "consistency",
            abstract: "Check that the configs of all parties agree on the network-shared values.",
            discussion: """
                Give one kms-server config per party. Compares threshold, decryption_mode, the peer list \
                (matched by party_id), trusted enclave releases, rate_limiter_conf and internal_config, and \
                reports per value which parties differ from the majority. my_id values must be distinct and \
                cover the peer list. Exit status: 0 consistent, 1 differences, 2 unreadable or invalid TOML.
                """)

        @Argument(help: "One kms-server config per party.", completion: .file())
        var files: [String]

        @Option(name: .long, help: "Output format: text for people, json for machines.")
        var format: ReportFormat = .text

        @OptionGroup(title: "What kms-server runs (applied to every file)") var sources: SourceOptions
        @OptionGroup var limit: InputLimitOptions

        func run() throws {
            var consistency = PartyConsistency(files: files)
            consistency.maximumFileSize = limit.maximumSize.bytes
            if !sources.isPlainFile {
                consistency.effective = sources.sources(searchesLayersByDefault: false)
            }
            let result = try consistency.run(note: Diagnostics.note)
            let renderer = ConsistencyReportRenderer()
            Terminal.writeOutput(
                format == .json ? renderer.json(result.report) : renderer.text(result.report))
            try Diagnostics.exit(with: result.exitStatus)
        }
    }
}
