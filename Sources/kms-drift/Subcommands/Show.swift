import ArgumentParser
import DriftConfig
import SnapshotStore

extension KMSDrift {
    /// `kms-drift show SNAP [PATH]`: what a snapshot holds.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a snapshot's files, or print one file's bytes as recorded.",
            discussion: "SNAP is an id (#12 or 12), latest or baseline. With PATH the file is printed as it "
                + "was, secrets included: you asked for it.")

        @OptionGroup var location: StoreOptions

        @Argument(help: "The snapshot: #12, 12, latest or baseline.")
        var snapshot: SnapshotReference

        @Argument(help: "A file in the snapshot, relative to the watched directory.")
        var path: String?

        func run() throws {
            let configuration = try location.configuration(requireDirectory: false)
            let store = try location.openStore(configuration)
            if let path {
                let bytes = try store.contents(of: path, in: snapshot)
                Terminal.writeOutput(bytes)
                return
            }
            let files = try store.files(in: snapshot)
            let id = try store.resolve(snapshot)
            if let summary = try store.listSnapshots().first(where: { $0.id == id }) {
                Terminal.writeOutput(SnapshotMetadataText.lines(summary, link: try store.chainLink(of: .id(id))))
            }
            var rows = [["MODE", "SIZE", "CONTENT", "PATH"]]
            for file in files {
                let content: String
                switch file.kind {
                case .regular:
                    let hash = file.contentHash.map { "sha256:" + $0.hex.prefix(12) } ?? "-"
                    content = file.isContentStored ? hash : hash + " (hash only)"
                case .symlink(let target): content = "-> " + target
                case .unreadable(let reason): content = "unreadable: " + reason
                case .vanished(let reason): content = "vanished: " + reason
                }
                rows.append([
                    String(file.mode & 0o7777, radix: 8), Formatting.size(file.size), content, file.path,
                ])
            }
            Terminal.writeOutput(Formatting.table(rows))
        }
    }
}
