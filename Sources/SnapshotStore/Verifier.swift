import Crypto

/// Checks the database file (`PRAGMA integrity_check`) and re-hashes every stored blob, naming what is
/// damaged: the blob's hash and the snapshots and paths that hold it.
struct Verifier {
    let database: Database

    func verify() throws -> [VerificationProblem] {
        var problems: [VerificationProblem] = []
        try database.prepare("PRAGMA integrity_check").forEachRow { row in
            let line = row.text(0)
            if line != "ok" {
                problems.append(
                    VerificationProblem(
                        message: "SQLite integrity check: \(line)", blobHash: nil, affectedFiles: []))
            }
        }
        let blobs = BlobStore(database: database)
        try database.prepare("SELECT id, sha256, size FROM blobs WHERE stored = 1 ORDER BY id").forEachRow {
            row in
            let blobID = row.int64(0)
            let hash = ContentHash(bytes: row.blob(1))
            let expectedSize = row.int64(2)
            var hasher = SHA256()
            var size: Int64 = 0
            var failure: String?
            do {
                try blobs.forEachChunk(blobID: blobID, hashForErrors: hash) { chunk in
                    hasher.update(data: chunk)
                    size += Int64(chunk.count)
                }
                if size != expectedSize {
                    failure = "its stored length is \(size) bytes instead of \(expectedSize)"
                } else if Array(hasher.finalize()) != hash.bytes {
                    failure = "its content no longer matches its SHA-256"
                }
            } catch SnapshotStoreError.blobDamaged(_, let reason) {
                failure = reason
            }
            if let failure {
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
            WHERE s.blob_id = ? ORDER BY e.snapshot_id, p.path
            """
        ).forEachRow([.integer(blobID)]) {
            files.append(.init(snapshot: SnapshotID($0.int64(0)), path: $0.text(1)))
        }
        return files
    }
}
