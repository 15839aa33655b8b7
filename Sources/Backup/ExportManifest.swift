import DriftCore
import FileSystem
import SnapshotStore

/// `kms-drift-manifest.json`, the first entry of every export (schema `kms-drift.export/1`):
/// the snapshot's metadata, its chain link, and every recorded path with its SHA-256, in the
/// order of the chain's manifest. From it alone the link's manifest hash and chain hash can be
/// recomputed (as `import` does), and every file of the archive checked.
struct ExportManifest: Equatable {
    static let fileName = "kms-drift-manifest.json"
    static let schema = "kms-drift.export/1"

    struct Snapshot: Equatable {
        var id: Int64
        var taken_at: String
        var taken_at_ns: Int64
        var root: String
        var host: String?
        var machine_id: String?
        var version: String?
        var origin: String
        var note: String?
        var network_fingerprint: String?
    }

    struct Chain: Equatable {
        var format: Int
        var previous: String
        var manifest: String
        var hash: String
        /// The Ed25519 signature in hex, when the link was signed.
        var signature: String?
    }

    struct File: Equatable {
        /// The path as text (kms-drift's key for it); `path_hex` holds its exact bytes.
        var path: String
        var path_hex: String
        /// `file`, `link`, `dir`, `unreadable` or `vanished`.
        var kind: String
        /// Four octal digits.
        var mode: String
        var uid: UInt32?
        var gid: UInt32?
        var size: Int64
        var mtime_ns: Int64
        var sha256: String?
        /// Whether the archive carries the content (a regular file whose content was stored).
        var in_archive: Bool
        /// A link's target or why a file could not be read, as hex of its bytes.
        var detail_hex: String?
    }

    var schema: String
    /// The identity of the store it was exported from (see `StoreIdentity`); absent in exports
    /// written before stores had one. Tells a rebuild which exports belong to one history.
    var store: String?
    var snapshot: Snapshot
    var chain: Chain
    var files: [File]

    /// The canonical manifest text of the chain (see `ChainSerialization`), from the files.
    var canonicalText: String {
        files.map { file in
            [
                file.kind, file.mode, file.uid.map(String.init) ?? "-", file.gid.map(String.init) ?? "-",
                String(file.size), file.sha256 ?? "-", file.path_hex, file.detail_hex ?? "-",
            ].joined(separator: " ") + "\n"
        }.joined()
    }

    /// The metadata as recorded.
    var metadata: SnapshotMetadata {
        SnapshotMetadata(
            hostName: snapshot.host, machineID: snapshot.machine_id, toolVersion: snapshot.version,
            origin: SnapshotOrigin(rawValue: snapshot.origin) ?? .unknown, note: snapshot.note,
            networkFingerprint: snapshot.network_fingerprint)
    }

    /// Pretty JSON, keys in a fixed order, so two exports of one snapshot have the same manifest.
    func json() -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("schema")
        json.string(schema)
        if let store {
            json.key("store")
            json.string(store)
        }
        json.key("snapshot")
        json.beginObject()
        json.key("id")
        json.raw(String(snapshot.id))
        json.key("taken_at")
        json.string(snapshot.taken_at)
        json.key("taken_at_ns")
        json.raw(String(snapshot.taken_at_ns))
        json.key("root")
        json.string(snapshot.root)
        for (key, value) in [
            ("host", snapshot.host), ("machine_id", snapshot.machine_id), ("version", snapshot.version),
            ("origin", snapshot.origin), ("note", snapshot.note),
            ("network_fingerprint", snapshot.network_fingerprint),
        ] {
            json.key(key)
            json.optionalString(value)
        }
        json.endObject()
        json.key("chain")
        json.beginObject()
        json.key("format")
        json.number(chain.format)
        json.key("previous")
        json.string(chain.previous)
        json.key("manifest")
        json.string(chain.manifest)
        json.key("hash")
        json.string(chain.hash)
        json.key("signature")
        json.optionalString(chain.signature)
        json.endObject()
        json.key("files")
        json.beginArray()
        for file in files {
            // One object per line, built directly: hex, numbers and the kind need no escaping.
            json.raw(
                "{\"path\":\(JSONWriter.quoted(file.path)),\"path_hex\":\"\(file.path_hex)\",\"kind\":\"\(file.kind)\","
                    + "\"mode\":\"\(file.mode)\",\"uid\":\(file.uid.map(String.init) ?? "null"),"
                    + "\"gid\":\(file.gid.map(String.init) ?? "null"),\"size\":\(file.size),\"mtime_ns\":\(file.mtime_ns),"
                    + "\"sha256\":\(file.sha256.map { "\"\($0)\"" } ?? "null"),\"in_archive\":\(file.in_archive),"
                    + "\"detail_hex\":\(file.detail_hex.map { "\"\($0)\"" } ?? "null")}")
        }
        json.endArray()
        json.endObject()
        return Array((json.output + "\n").utf8)
    }

    /// Reads a manifest written by any kms-drift of schema `kms-drift.export/1` (or by a tool
    /// following it), with kms-drift's own JSON reader.
    static func parse(_ bytes: [UInt8], source: String) throws(BackupError) -> ExportManifest {
        let manifest: ExportManifest
        do {
            manifest = try ExportManifestReader.read(bytes)
        } catch {
            throw .notAnExport(path: source, reason: "its \(fileName) is not valid (\(error))")
        }
        guard manifest.schema == schema else {
            throw .notAnExport(
                path: source,
                reason: "its manifest has schema \(manifest.schema); this kms-drift reads \(schema)")
        }
        return manifest
    }
}
