import ArgumentParser
import DriftOperations
import SnapshotStore

extension KMSDrift {
    /// `kms-drift show SNAP [PATH]`: what a snapshot holds.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a snapshot's files, or print one file's bytes as recorded.",
            discussion: "SNAP is an id (#12 or 12), latest or baseline. With PATH the file is printed as it "
                + "was, secrets included: you asked for it; its bytes are checked against their SHA-256 "
                + "before the first one is printed. Names that are not UTF-8 are listed escaped "
                + "(bad\\xff.toml) and can be given that way.")

        @OptionGroup var location: StoreOptions

        @Argument(help: "The snapshot: #12, 12, latest or baseline.")
        var snapshot: SnapshotReference

        @Argument(help: "A file in the snapshot, relative to the watched directory.")
        var path: String?

        func run() throws {
            let configuration = try location.configuration(requireDirectory: false)
            let store = try location.openStore(configuration)
            let show = SnapshotContents(snapshot: snapshot)
            if let path {
                try Diagnostics.exit(with: try show.file(path, in: store, to: Terminal.writeOutput))
                return
            }
            let result = try show.run(in: store)
            Terminal.writeOutput(SnapshotContentsText.render(result))
            try Diagnostics.exit(with: result.exitStatus)
        }
    }
}
