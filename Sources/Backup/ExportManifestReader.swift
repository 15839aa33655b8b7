import EffectiveConfig
import TOML

/// Reads `kms-drift-manifest.json` with kms-drift's own JSON reader (``JSONLayer``, which also
/// reads JSON configuration layers and `GET /config`), field by field, as every kms-drift since
/// `kms-drift.export/1` wrote it: unknown keys are ignored, optional ones may be absent or null.
struct ExportManifestReader {
    /// Names the field in errors, as a key path (`files[3].size`).
    private var path: [String] = []

    static func read(_ bytes: [UInt8]) throws(ExportManifestReadError) -> ExportManifest {
        let document: LayeredTable
        do {
            document = try JSONLayer.readLayer(bytes, displayPath: ExportManifest.fileName)
        } catch {
            throw ExportManifestReadError(description: "\(error)")
        }
        return try ExportManifestReader().manifest(document)
    }

    private func manifest(_ table: LayeredTable) throws(ExportManifestReadError) -> ExportManifest {
        let snapshot = try object(table, "snapshot")
        let chain = try object(table, "chain")
        let files = try array(table, "files")
        var decodedFiles: [ExportManifest.File] = []
        decodedFiles.reserveCapacity(files.count)
        for (index, value) in files.enumerated() {
            var reader = self
            reader.path.append("files[\(index)]")
            guard case .table(let file) = value else { throw reader.wrong("an object") }
            decodedFiles.append(try reader.file(file))
        }
        return ExportManifest(
            schema: try string(table, "schema"), store: try optionalString(table, "store"),
            snapshot: try nested("snapshot").snapshot(snapshot), chain: try nested("chain").chain(chain),
            files: decodedFiles)
    }

    private func snapshot(_ table: LayeredTable) throws(ExportManifestReadError) -> ExportManifest.Snapshot {
        ExportManifest.Snapshot(
            id: try integer(table, "id"), taken_at: try string(table, "taken_at"),
            taken_at_ns: try integer(table, "taken_at_ns"), root: try string(table, "root"),
            host: try optionalString(table, "host"), machine_id: try optionalString(table, "machine_id"),
            version: try optionalString(table, "version"), origin: try string(table, "origin"),
            note: try optionalString(table, "note"),
            network_fingerprint: try optionalString(table, "network_fingerprint"))
    }

    private func chain(_ table: LayeredTable) throws(ExportManifestReadError) -> ExportManifest.Chain {
        let format = try integer(table, "format")
        guard let narrowed = Int(exactly: format) else { throw nested("format").wrong("an integer") }
        return ExportManifest.Chain(
            format: narrowed, previous: try string(table, "previous"),
            manifest: try string(table, "manifest"),
            hash: try string(table, "hash"), signature: try optionalString(table, "signature"))
    }

    private func file(_ table: LayeredTable) throws(ExportManifestReadError) -> ExportManifest.File {
        ExportManifest.File(
            path: try string(table, "path"), path_hex: try string(table, "path_hex"),
            kind: try string(table, "kind"), mode: try string(table, "mode"),
            uid: try optionalID(table, "uid"),
            gid: try optionalID(table, "gid"), size: try integer(table, "size"),
            mtime_ns: try integer(table, "mtime_ns"), sha256: try optionalString(table, "sha256"),
            in_archive: try boolean(table, "in_archive"), detail_hex: try optionalString(table, "detail_hex"))
    }

    // MARK: - Fields

    private func nested(_ key: String) -> ExportManifestReader {
        var reader = self
        reader.path.append(key)
        return reader
    }

    private func wrong(_ expected: String) -> ExportManifestReadError {
        ExportManifestReadError(description: "`\(path.joined(separator: "."))` is not \(expected)")
    }

    /// The value of `key`, or `nil` when it is absent or null.
    private func optional(_ table: LayeredTable, _ key: String) -> LayeredValue? {
        switch table[key] {
        case nil, .null: return nil
        case let value?: return value
        }
    }

    private func required(_ table: LayeredTable, _ key: String) throws(ExportManifestReadError)
        -> LayeredValue
    {
        guard let value = optional(table, key) else {
            throw ExportManifestReadError(
                description: "the key `\((path + [key]).joined(separator: "."))` is missing")
        }
        return value
    }

    private func object(_ table: LayeredTable, _ key: String) throws(ExportManifestReadError) -> LayeredTable
    {
        guard case .table(let value) = try required(table, key) else { throw nested(key).wrong("an object") }
        return value
    }

    private func array(_ table: LayeredTable, _ key: String) throws(ExportManifestReadError) -> [LayeredValue]
    {
        guard case .array(let values, _) = try required(table, key) else {
            throw nested(key).wrong("an array")
        }
        return values
    }

    private func string(_ table: LayeredTable, _ key: String) throws(ExportManifestReadError) -> String {
        guard case .scalar(.string(let value), _) = try required(table, key) else {
            throw nested(key).wrong("a string")
        }
        return value
    }

    private func optionalString(_ table: LayeredTable, _ key: String) throws(ExportManifestReadError)
        -> String?
    {
        guard let value = optional(table, key) else { return nil }
        guard case .scalar(.string(let text), _) = value else { throw nested(key).wrong("a string") }
        return text
    }

    private func integer(_ table: LayeredTable, _ key: String) throws(ExportManifestReadError) -> Int64 {
        guard case .scalar(.integer(let value), _) = try required(table, key) else {
            throw nested(key).wrong("an integer")
        }
        return value
    }

    /// A user or group id: absent or null when it was not recorded.
    private func optionalID(_ table: LayeredTable, _ key: String) throws(ExportManifestReadError) -> UInt32? {
        guard let value = optional(table, key) else { return nil }
        guard case .scalar(.integer(let number), _) = value, let id = UInt32(exactly: number) else {
            throw nested(key).wrong("a user or group id")
        }
        return id
    }

    private func boolean(_ table: LayeredTable, _ key: String) throws(ExportManifestReadError) -> Bool {
        guard case .scalar(.boolean(let value), _) = try required(table, key) else {
            throw nested(key).wrong("true or false")
        }
        return value
    }
}

/// Why a manifest could not be read, in a few words for the import's error.
struct ExportManifestReadError: Error, CustomStringConvertible {
    var description: String
}
