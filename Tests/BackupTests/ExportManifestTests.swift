import Testing

@testable import Backup

/// The export manifest is written with `JSONWriter` and read with kms-drift's own JSON reader:
/// what any kms-drift wrote since `kms-drift.export/1` reads back as it was, and a bad manifest is
/// an error naming the field.
@Suite("Export manifest")
struct ExportManifestTests {
    static func manifest(store: String?) -> ExportManifest {
        ExportManifest(
            schema: ExportManifest.schema, store: store,
            snapshot: .init(
                id: 7, taken_at: "2026-12-01T10:00:00Z", taken_at_ns: 1_796_119_200_123_456_789,
                root: "/etc/kms \"prod\"", host: "node-3", machine_id: nil, version: "1.4.0", origin: "cycle",
                note: "après l'incident\n\\ tab\t", network_fingerprint: nil),
            chain: .init(
                format: 1, previous: "sha256:" + String(repeating: "0", count: 64),
                manifest: "sha256:" + String(repeating: "a", count: 64),
                hash: "sha256:" + String(repeating: "b", count: 64), signature: nil),
            files: [
                .init(
                    path: "bad\\xff.toml", path_hex: "626164ff2e746f6d6c", kind: "file", mode: "0644", uid: 0,
                    gid: 4_294_967_294, size: 6, mtime_ns: -1, sha256: String(repeating: "c", count: 64),
                    in_archive: true, detail_hex: nil),
                .init(
                    path: "current", path_hex: "63757272656e74", kind: "link", mode: "0777", uid: nil,
                    gid: nil,
                    size: 9, mtime_ns: 0, sha256: nil, in_archive: false, detail_hex: "6e6f64652e746f6d6c"),
            ])
    }

    @Test(
        "what kms-drift writes reads back as it was, with and without a store identity",
        arguments: [
            "0011223344556677", nil,
        ])
    func roundTrip(store: String?) throws {
        let written = Self.manifest(store: store)
        #expect(try ExportManifest.parse(written.json(), source: "a.tar") == written)
    }

    @Test("a manifest spelled otherwise (compact, keys reordered, unknown keys, absent optionals) reads")
    func otherSpelling() throws {
        // As Python's json.dumps writes one (scripts and ImportBoundsTests craft them so).
        let text = """
            {"files": [{"in_archive": false, "kind": "vanished", "path_hex": "61", "path": "a", "mode": "0000",
            "size": 0, "mtime_ns": 0, "detail_hex": null, "extra": [1, {"x": null}]}],
            "chain": {"hash": "h", "manifest": "m", "previous": "p", "format": 1},
            "snapshot": {"root": "/etc/kms", "taken_at_ns": 5, "taken_at": "t", "id": 1, "origin": "snapshot"},
            "schema": "kms-drift.export/1", "future": true}
            """
        let manifest = try ExportManifest.parse(Array(text.utf8), source: "old.tar")
        #expect(manifest.store == nil)
        #expect(manifest.snapshot.host == nil && manifest.chain.signature == nil)
        #expect(manifest.files.map(\.path) == ["a"])
        #expect(manifest.files[0].uid == nil && manifest.files[0].sha256 == nil)
    }

    @Test(
        "a bad manifest is an error naming the field or the position",
        arguments: [
            (#"{"schema": "kms-drift.export/1"}"#, "the key `snapshot` is missing"),
            (
                #"{"schema": "kms-drift.export/1", "snapshot": {"id": "7"}, "chain": {}, "files": []}"#,
                "`snapshot.id` is not an integer"
            ),
            (
                #"{"schema": "kms-drift.export/1", "snapshot": {}, "chain": {}, "files": [3]}"#,
                "`files[0]` is not an object"
            ),
            ("{\n  \"schema\": tru\n}", "kms-drift-manifest.json:2:"),
        ])
    func badManifest(text: String, expected: String) throws {
        do {
            _ = try ExportManifest.parse(Array(text.utf8), source: "bad.tar")
            Issue.record("\(text) was read")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
            #expect("\(error)".contains("bad.tar"), "\(error)")
        }
    }

    @Test("a manifest of another schema is refused by name")
    func otherSchema() throws {
        var manifest = Self.manifest(store: nil)
        manifest.schema = "kms-drift.export/2"
        #expect(throws: BackupError.self) { try ExportManifest.parse(manifest.json(), source: "new.tar") }
        do {
            _ = try ExportManifest.parse(manifest.json(), source: "new.tar")
        } catch {
            #expect("\(error)".contains("schema kms-drift.export/2"), "\(error)")
        }
    }
}
