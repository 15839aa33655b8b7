import Crypto
import FileSystem

/// The canonical, versioned text a chain link's hashes are computed over (version 1).
///
/// Written so anyone can re-check a store with `sqlite3`, `printf` and `sha256sum` (the README
/// gives the commands, and `scripts/chain_v1.py` does it with Python's standard library):
///
/// - The **manifest** is one line per recorded path, directories included, sorted by the path's
///   bytes: `<kind> <mode> <uid> <gid> <size> <sha256> <path> <detail>\n` — kind `file`, `link`,
///   `dir`, `unreadable` or `vanished`; mode as four octal digits; uid and gid in decimal, `-` when
///   not recorded (states from before schema 3, paths that could not be examined); size in decimal
///   (a directory's and a link's as `lstat` gave it); the content's SHA-256 in lowercase hex, `-`
///   when there is none; the path's exact bytes in lowercase hex (they need not be UTF-8); the
///   detail (a link's target bytes, or why a file could not be read) in lowercase hex, `-` when
///   there is none. `manifest_sha256` is its SHA-256. Directories are in it because their mode
///   and owner are what a restore gives back, and a `chmod 777 keys` is tampering too.
/// - The **header** is twelve lines: `kms-drift chain v1`, then `snapshot <id>`,
///   `previous <hex>`, `taken_at_ns <decimal>`, `root <hex>`, `host <hex>`, `machine_id <hex>`,
///   `tool_version <hex>`, `origin <word>`, `note <hex>`, `network_fingerprint <hex>`,
///   `manifest <hex>`, each ending in `\n`; text in lowercase hex of its UTF-8 bytes, `-` when
///   absent. `chain_sha256` is its SHA-256.
/// - The **signature**, when a signing key is set, is Ed25519 over the 32 bytes of `chain_sha256`.
///
/// Every field is either a fixed word, a decimal number or hex, so no value can be mistaken for
/// a separator, whatever bytes a path or a note holds.
package enum ChainSerialization {
    /// The version new links are written with.
    package static let currentFormat = 1

    /// The first line of a version 1 header.
    static let headerTag = "kms-drift chain v1"

    /// One manifest line per recorded path of a snapshot (parameter: the snapshot id), in the
    /// manifest's order. The README prints this query: what is hashed is exactly what it prints.
    static let manifestLinesSQL = """
        SELECT printf('%s %04o %s %s %d %s %s %s',
            CASE s.kind WHEN 0 THEN 'file' WHEN 1 THEN 'link' WHEN 2 THEN 'unreadable'
                WHEN 3 THEN 'vanished' WHEN 4 THEN 'dir' ELSE 'kind' || s.kind END,
            s.mode, \(ownerColumns.uid), \(ownerColumns.gid), s.size,
            coalesce(nullif(lower(hex(b.sha256)), ''), '-'), lower(hex(p.path)),
            coalesce(nullif(lower(hex(s.detail)), ''), '-'))
        FROM entries e
        JOIN file_states s ON s.id = e.state_id
        JOIN paths p ON p.id = s.path_id
        LEFT JOIN blobs b ON b.id = s.blob_id
        WHERE e.snapshot_id = ?
        ORDER BY CAST(p.path AS BLOB)
        """

    /// How the owner columns read in the manifest query: the recorded uid and gid, `-` for states
    /// recorded before owners were (schema 3) and for paths that could not be examined.
    static let ownerColumns = (uid: "coalesce(s.uid, '-')", gid: "coalesce(s.gid, '-')")

    /// The header text of a link; its SHA-256 is the link's chain hash.
    static func header(
        snapshot: SnapshotID, previous: ContentHash, takenAtNanoseconds: Int64, rootPath: String,
        metadata: SnapshotMetadata, manifestHash: ContentHash
    ) -> String {
        var text = headerTag + "\n"
        text += "snapshot \(snapshot.rawValue)\n"
        text += "previous \(previous.hex)\n"
        text += "taken_at_ns \(takenAtNanoseconds)\n"
        text += "root \(hex(rootPath))\n"
        text += "host \(hex(metadata.hostName))\n"
        text += "machine_id \(hex(metadata.machineID))\n"
        text += "tool_version \(hex(metadata.toolVersion))\n"
        text += "origin \(metadata.origin.rawValue)\n"
        text += "note \(hex(metadata.note))\n"
        text += "network_fingerprint \(hex(metadata.networkFingerprint))\n"
        text += "manifest \(manifestHash.hex)\n"
        return text
    }

    /// The chain hash of a link with these fields: what an import recomputes from an export's
    /// manifest to check that it is a link of the chain it claims.
    package static func chainHash(
        snapshot: SnapshotID, previous: ContentHash, takenAtNanoseconds: Int64, rootPath: String,
        metadata: SnapshotMetadata, manifestHash: ContentHash
    ) -> ContentHash {
        let text = header(
            snapshot: snapshot, previous: previous, takenAtNanoseconds: takenAtNanoseconds,
            rootPath: rootPath,
            metadata: metadata, manifestHash: manifestHash)
        return ContentHash(bytes: Array(SHA256.hash(data: Array(text.utf8))))
    }

    /// The SHA-256 of a snapshot's manifest text, computed by the database itself.
    static func manifestHash(of snapshot: SnapshotID, in database: Database) throws -> ContentHash {
        var hasher = SHA256()
        let newline: [UInt8] = [0x0A]
        try database.cached(manifestLinesSQL).forEachRow([.integer(snapshot.rawValue)]) { row in
            row.withTextBytes(0) { hasher.update(bufferPointer: $0) }
            newline.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        return ContentHash(bytes: Array(hasher.finalize()))
    }

    /// The manifest text itself, for tests and for a person comparing by hand.
    static func manifestText(of snapshot: SnapshotID, in database: Database) throws -> String {
        var text = ""
        try database.cached(manifestLinesSQL).forEachRow([.integer(snapshot.rawValue)]) { row in
            text += row.text(0) + "\n"
        }
        return text
    }

    /// Lowercase hex of the UTF-8 bytes of `text`, `-` for none.
    static func hex(_ text: String?) -> String {
        guard let text else { return "-" }
        return hex(bytes: Array(text.utf8))
    }

    /// Lowercase hex of `bytes`.
    static func hex(bytes: [UInt8]) -> String { Hex.encode(bytes) }
}
