import DriftCore

/// Reads `kms-drift-manifest.json` with kms-drift's one JSON reader (DriftCore's ``JSONReader``,
/// which also reads JSON configuration layers, `GET /config` and network statements), field by field, as every kms-drift since
/// `kms-drift.export/1` wrote it: unknown keys are ignored, optional ones may be absent or null.
struct ExportManifestReader {
    /// Names the field in errors, as a key path (`files[3].size`).
    private var path: [String] = []

    static func read(_ bytes: [UInt8]) throws(ExportManifestReadError) -> ExportManifest {
        let tree: JSONValue
        do throws(JSONReadError) {
            // A repeated key keeps the last value, as the reader before this one (and Python) did.
            tree = try JSONReader.read(bytes, duplicateKeys: .keepLast)
        } catch {
            throw ExportManifestReadError(description: "\(ExportManifest.fileName):\(error)")
        }
        guard case .object(let document) = tree else {
            throw ExportManifestReadError(
                description: "\(ExportManifest.fileName):1:1: the top level is not an object")
        }
        return try ExportManifestReader().manifest(document)
    }

    private func manifest(_ table: JSONObject) throws(ExportManifestReadError) -> ExportManifest {
        let snapshot = try object(table, "snapshot")
        let chain = try object(table, "chain")
        let files = try array(table, "files")
        var decodedFiles: [ExportManifest.File] = []
        decodedFiles.reserveCapacity(files.count)
        for (index, value) in files.enumerated() {
            var reader = self
            reader.path.append("files[\(index)]")
            guard case .object(let file) = value else { throw reader.wrong("an object", value) }
            decodedFiles.append(try reader.file(file))
        }
        return ExportManifest(
            schema: try string(table, "schema"), store: try optionalString(table, "store"),
            snapshot: try nested("snapshot").snapshot(snapshot), chain: try nested("chain").chain(chain),
            files: decodedFiles)
    }

    private func snapshot(_ table: JSONObject) throws(ExportManifestReadError) -> ExportManifest.Snapshot {
        ExportManifest.Snapshot(
            id: try integer(table, "id"), taken_at: try string(table, "taken_at"),
            taken_at_ns: try integer(table, "taken_at_ns"), root: try string(table, "root"),
            host: try optionalString(table, "host"), machine_id: try optionalString(table, "machine_id"),
            version: try optionalString(table, "version"), origin: try string(table, "origin"),
            note: try optionalString(table, "note"),
            network_fingerprint: try optionalString(table, "network_fingerprint"))
    }

    private func chain(_ table: JSONObject) throws(ExportManifestReadError) -> ExportManifest.Chain {
        let format = try integer(table, "format")
        guard let narrowed = Int(exactly: format) else {
            throw nested("format").wrong("an integer", table["format"] ?? .null(table.position))
        }
        return ExportManifest.Chain(
            format: narrowed, previous: try string(table, "previous"),
            manifest: try string(table, "manifest"),
            hash: try string(table, "hash"), signature: try optionalString(table, "signature"))
    }

    private func file(_ table: JSONObject) throws(ExportManifestReadError) -> ExportManifest.File {
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

    /// The field is not what the schema says: names it, and where the wrong value is.
    private func wrong(_ expected: String, _ found: JSONValue) -> ExportManifestReadError {
        ExportManifestReadError(
            description: "`\(path.joined(separator: "."))` is not \(expected) "
                + "(\(ExportManifest.fileName):\(found.position) holds \(found.kind))")
    }

    /// The value of `key`, or `nil` when it is absent or null.
    private func optional(_ table: JSONObject, _ key: String) -> JSONValue? {
        switch table[key] {
        case nil, .null: return nil
        case let value?: return value
        }
    }

    private func required(_ table: JSONObject, _ key: String) throws(ExportManifestReadError)
        -> JSONValue
    {
        guard let value = optional(table, key) else {
            throw ExportManifestReadError(
                description: "the key `\((path + [key]).joined(separator: "."))` is missing")
        }
        return value
    }

    private func object(_ table: JSONObject, _ key: String) throws(ExportManifestReadError) -> JSONObject {
        let found = try required(table, key)
        guard case .object(let value) = found else { throw nested(key).wrong("an object", found) }
        return value
    }

    private func array(_ table: JSONObject, _ key: String) throws(ExportManifestReadError) -> [JSONValue] {
        let found = try required(table, key)
        guard case .array(let values, _) = found else { throw nested(key).wrong("an array", found) }
        return values
    }

    private func string(_ table: JSONObject, _ key: String) throws(ExportManifestReadError) -> String {
        let found = try required(table, key)
        guard case .string(let value, _) = found else { throw nested(key).wrong("a string", found) }
        return value
    }

    private func optionalString(_ table: JSONObject, _ key: String) throws(ExportManifestReadError)
        -> String?
    {
        guard let value = optional(table, key) else { return nil }
        guard case .string(let text, _) = value else { throw nested(key).wrong("a string", value) }
        return text
    }

    private func integer(_ table: JSONObject, _ key: String) throws(ExportManifestReadError) -> Int64 {
        let found = try required(table, key)
        guard case .integer(let value, _) = found else { throw nested(key).wrong("an integer", found) }
        return value
    }

    /// A user or group id: absent or null when it was not recorded.
    private func optionalID(_ table: JSONObject, _ key: String) throws(ExportManifestReadError) -> UInt32? {
        guard let value = optional(table, key) else { return nil }
        guard case .integer(let number, _) = value, let id = UInt32(exactly: number) else {
            throw nested(key).wrong("a user or group id", value)
        }
        return id
    }

    private func boolean(_ table: JSONObject, _ key: String) throws(ExportManifestReadError) -> Bool {
        let found = try required(table, key)
        guard case .boolean(let value, _) = found else { throw nested(key).wrong("true or false", found) }
        return value
    }
}

/// Why a manifest could not be read, in a few words for the import's error.
struct ExportManifestReadError: Error, CustomStringConvertible {
    var description: String
}
