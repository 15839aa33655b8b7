import ArgumentParser
import DriftConfig
import DriftCore
import FileSystem
import SnapshotStore

extension KMSDrift {
    /// `kms-drift show SNAP [PATH]`: what a snapshot holds.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
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
            if let path {
                try store.forEachVerifiedChunk(
                    of: PathName.key(parsingUserInput: path), in: snapshot, Terminal.writeOutput)
                return
            }
            let files = try store.files(in: snapshot)
            let id = try store.resolve(snapshot)
            if let summary = try store.listSnapshots().first(where: { $0.id == id }) {
                Terminal.writeOutput(
                    SnapshotMetadataText.lines(summary, link: try store.chainLink(of: .id(id))))
            }
            let directories = try store.directories(in: snapshot)
            // Keyed with the store's key, as every content hash shown: sha256 of a short secret file
            // would let anyone test a guess of it (`verify` and the encrypted export keep the raw hash).
            let key = try store.secretFingerprintKey()
            var rows: [(path: String, cells: [String])] = []
            for file in files {
                let content: String
                switch file.kind {
                case .regular:
                    let hash = file.contentHash.map { key.fingerprint(of: $0.hex) } ?? "-"
                    content = file.isContentStored ? hash : hash + " (hash only)"
                case .symlink(let target): content = "-> " + target
                case .unreadable(let reason): content = "unreadable: " + reason
                case .vanished(let reason): content = "vanished: " + reason
                }
                let owner = file.owner.flatMap { owner in file.group.map { "\(owner):\($0)" } } ?? "-"
                rows.append(
                    (
                        file.path,
                        [String(file.mode & 0o7777, radix: 8), owner, Formatting.size(file.size), content]
                    ))
            }
            for directory in directories {
                rows.append(
                    (
                        directory.path + "/",
                        [
                            String(directory.mode & 0o7777, radix: 8),
                            "\(directory.owner):\(directory.group)", "-", "directory",
                        ]
                    ))
            }
            rows.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            let table =
                [["MODE", "OWNER", "SIZE", "CONTENT", "PATH"]]
                + rows.map { row in (row.cells + [row.path]).map(TerminalText.escaped) }
            Terminal.writeOutput(Formatting.table(table))
        }
    }
}
