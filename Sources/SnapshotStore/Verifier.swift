/// Checks the database file (`PRAGMA integrity_check`, foreign keys, the links a manifest relies on)
/// and re-hashes every stored blob, naming what is damaged: the blob's hash and the snapshots and
/// paths that hold it. Trusts no size field (see ``BlobStore/forEachChunk(blobID:declaredSize:hashForErrors:_:)``),
/// so memory stays bounded whatever a damaged database claims.
struct Verifier {
    let store: SnapshotStore
    var database: Database { store.database }

    func verify() throws -> [VerificationProblem] {
        var problems: [VerificationProblem] = []
        func problem(_ message: String) {
            problems.append(VerificationProblem(message: message, blobHash: nil, affectedFiles: []))
        }
        try database.prepare("PRAGMA integrity_check(100)").forEachRow { row in
            let line = row.text(0)
            if line != "ok" { problem("SQLite integrity check: \(line)") }
        }
        try database.prepare("PRAGMA foreign_key_check").forEachRow { row in
            problem("a row of \(row.text(0)) refers to a missing row of \(row.text(2))")
        }
        let structural: [(sql: String, message: String)] = [
            (
                "SELECT count(*) FROM entries WHERE state_id NOT IN (SELECT id FROM file_states)",
                "manifest entries point to no recorded file"
            ),
            (
                "SELECT count(*) FROM file_states WHERE path_id NOT IN (SELECT id FROM paths)",
                "recorded files have no path"
            ),
            (
                "SELECT count(*) FROM file_states WHERE kind NOT IN (0, 1, 2, 3, 4)",
                "recorded files have an unknown kind"
            ),
            (
                "SELECT count(*) FROM file_states WHERE kind = 0 AND blob_id IS NOT NULL "
                    + "AND blob_id NOT IN (SELECT id FROM blobs)",
                "regular files point to missing content"
            ),
            (
                "SELECT count(*) FROM blobs WHERE length(sha256) <> 32",
                "stored contents have a malformed SHA-256"
            ),
            (
                "SELECT count(*) FROM file_states s JOIN blobs b ON b.id = s.blob_id WHERE s.kind = 0 AND s.size <> b.size",
                "recorded files have a size that differs from their content's"
            ),
        ]
        for check in structural {
            let count = try database.scalarInt64(check.sql) ?? 0
            if count > 0 { problem("\(count) \(check.message)") }
        }
        var snapshots: [Int64] = []
        try database.prepare("SELECT id FROM snapshots ORDER BY id").forEachRow {
            snapshots.append($0.int64(0))
        }
        for snapshot in snapshots {
            do {
                try store.checkManifest(of: .id(SnapshotID(snapshot)))
            } catch let error as SnapshotStoreError {
                guard case .manifestDamaged(_, let reason) = error else { throw error }
                problems.append(
                    VerificationProblem(
                        message:
                            "snapshot #\(snapshot): its list of files is damaged (\(reason)); restore and show "
                            + "refuse it", blobHash: nil, affectedFiles: []))
            }
        }
        let blobs = BlobStore(database: database)
        try database.prepare("SELECT id, sha256, size FROM blobs WHERE stored = 1 ORDER BY id").forEachRow {
            row in
            let blobID = row.int64(0)
            let hash = ContentHash(bytes: row.blob(1))
            if let failure = try blobs.damage(blobID: blobID, declaredSize: row.int64(2), hash: hash) {
                problems.append(
                    VerificationProblem(
                        message: "stored content \(hash.hex) is damaged: \(failure)", blobHash: hash,
                        affectedFiles: try holders(of: blobID)))
            }
        }
        return problems
    }

    private func holders(of blobID: Int64) throws -> [VerificationProblem.AffectedFile] {
        var files: [VerificationProblem.AffectedFile] = []
        try database.prepare(
            """
            SELECT e.snapshot_id, p.path FROM file_states s
            JOIN entries e ON e.state_id = s.id
            JOIN paths p ON p.id = s.path_id
            WHERE s.blob_id = ? ORDER BY e.snapshot_id, p.path LIMIT 1000
            """
        ).forEachRow([.integer(blobID)]) {
            files.append(.init(snapshot: SnapshotID($0.int64(0)), path: $0.pathKey(1)))
        }
        return files
    }
}
