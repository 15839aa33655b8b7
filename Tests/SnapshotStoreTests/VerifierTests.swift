import TestSupport
import Testing

@testable import SnapshotStore

@Suite("verify()", .temporaryDirectory)
struct VerifierTests {
    @Test("a tampered blob is found and named with the snapshots and paths holding it")
    func tamperedBlob() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/node.toml", "threshold = 4\n")
        try temp.write("tree/other.toml", "port = 50001\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        try store.takeSnapshot(of: temp.path("tree"))
        try store.takeSnapshot(of: temp.path("tree"))
        #expect(try store.verify().isEmpty)

        let hash = try #require(try store.file("node.toml", in: .latest).contentHash)
        // Same length, different bytes: only re-hashing can notice.
        try store.database.execute(
            """
            UPDATE blob_chunks SET data = CAST('threshold = 1\n' AS BLOB), encoding = 0
            WHERE blob_id = (SELECT id FROM blobs WHERE hex(sha256) = '\(hash.hex.uppercased())')
            """)
        let problems = try store.verify()
        #expect(problems.count == 1)
        let problem = try #require(problems.first)
        #expect(problem.blobHash == hash)
        #expect(problem.affectedFiles.map(\.path) == ["node.toml", "node.toml"])
        #expect(problem.affectedFiles.map(\.snapshot) == [SnapshotID(1), SnapshotID(2)])
        #expect(problem.description.contains(hash.hex))
        #expect(throws: SnapshotStoreError.self) { try store.contents(of: "node.toml", in: .latest) }
    }
}
