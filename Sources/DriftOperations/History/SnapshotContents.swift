import DriftCore
import FileSystem
import SnapshotStore

/// `show SNAP [PATH]`: what a snapshot holds (its metadata and a table of its entries), or one
/// file's bytes exactly as recorded, each chunk checked against its SHA-256 before it is given out.
package struct SnapshotContents: Sendable {
    package let snapshot: SnapshotReference

    package init(snapshot: SnapshotReference) { self.snapshot = snapshot }

    /// The snapshot's metadata and entries.
    package struct Result: Sendable {
        package let summary: SnapshotSummary?
        package let link: ChainLink?
        package let files: [FileRecord]
        package let directories: [DirectoryRecord]
        /// Content hashes are shown keyed with the store's key, as every content hash shown.
        package let key: FingerprintKey

        package var exitStatus: ExitStatus { .nothingToReport }
    }

    package func run(in store: SnapshotStore) throws -> Result {
        let files = try store.files(in: snapshot)
        let id = try store.resolve(snapshot)
        let summary = try store.listSnapshots().first(where: { $0.id == id })
        let link = summary == nil ? nil : try store.chainLink(of: .id(id))
        let directories = try store.directories(in: snapshot)
        return Result(
            summary: summary, link: link, files: files, directories: directories,
            key: try store.secretFingerprintKey())
    }

    /// `show SNAP PATH`: hands `output` the file's bytes as recorded (secrets included: asked for),
    /// each chunk after it was checked. A name that is not UTF-8 is given escaped (bad\xff.toml).
    package func file(_ path: String, in store: SnapshotStore, to output: ([UInt8]) -> Void) throws
        -> ExitStatus
    {
        try store.forEachVerifiedChunk(of: PathName.key(parsingUserInput: path), in: snapshot, output)
        return .nothingToReport
    }
}

/// What `show SNAP` prints: the metadata lines, then one row per entry, sorted by path bytes.
package enum SnapshotContentsText {
    package static func render(_ result: SnapshotContents.Result) -> String {
        var text = ""
        if let summary = result.summary { text += SnapshotMetadataText.lines(summary, link: result.link) }
        // Keyed with the store's key, as every content hash shown: sha256 of a short secret file
        // would let anyone test a guess of it (`verify` and the encrypted export keep the raw hash).
        let key = result.key
        var rows: [(path: String, cells: [String])] = []
        for file in result.files {
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
        for directory in result.directories {
            rows.append(
                (
                    directory.path + "/",
                    [
                        String(directory.mode & 0o7777, radix: 8), "\(directory.owner):\(directory.group)",
                        "-", "directory",
                    ]
                ))
        }
        rows.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        let table =
            [["MODE", "OWNER", "SIZE", "CONTENT", "PATH"]]
            + rows.map { row in (row.cells + [row.path]).map(TerminalText.escaped) }
        return text + Formatting.table(table)
    }
}
