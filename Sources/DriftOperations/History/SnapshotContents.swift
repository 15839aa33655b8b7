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
