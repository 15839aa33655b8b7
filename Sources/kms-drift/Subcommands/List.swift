import ArgumentParser
import DriftOperations

extension KMSDrift {
    /// `kms-drift list`: the history, with marks, metadata and drift status.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract:
                "List snapshots: id, time, files, size, marks, and whether each differs from the reference.",
            discussion: """
                --long adds what took each snapshot, where (host), with which kms-drift, the note and the \
                chain hash; --format json gives all of it, machine-id and network fingerprint included \
                (schema kms-drift.snapshots/1). Snapshots taken before kms-drift kept metadata read "unknown".
                """)

        @OptionGroup var location: StoreOptions

        @Flag(
            name: .long, help: "Do not compare each snapshot with the reference (faster on a large history).")
        var noStatus = false

        @Flag(name: .long, help: "Also show origin, host, kms-drift version, note and chain hash.")
        var long = false

        @Option(name: .long, help: "Output format: text for people, json for machines.")
        var format: ReportFormat = .text

        func run() throws {
            let configuration = try location.configuration(requireDirectory: false)
            let store = try location.openStore(configuration)
            let listing = try SnapshotListing(configuration: configuration, withStatus: !noStatus).run(
                in: store)
            Terminal.writeOutput(
                format == .json
                    ? SnapshotListJSON.render(listing) : SnapshotListText.render(listing, long: long))
            try Diagnostics.exit(with: listing.exitStatus)
        }
    }
}
