import DriftCore
import SnapshotStore

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
