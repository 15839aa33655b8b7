import Glibc
import SigningKeys
import TestSupport
import Testing

@testable import SnapshotStore

/// The two ways issue 18 laundered a signed history with write access to the database only, and
/// what now stops each: the marks kept outside the chain table, and the verification a signing
/// key runs before it signs.
@Suite("the hash chain cannot be laundered", .temporaryDirectory)
struct ChainLaunderingTests {
    /// Three signed snapshots of a small tree, the store closed again.
    static func signedHistory(_ temp: TemporaryDirectory, key: ChainSigningKey) throws {
        let store = try SnapshotStore(path: temp.path("history.db"))
        for (index, text) in ["threshold = 4\n", "threshold = 5\n", "threshold = 6\n"].enumerated() {
            try temp.write("tree/node.toml", text)
            try store.takeSnapshot(
                of: temp.path("tree"),
                options: SnapshotOptions(
                    metadata: .current(origin: .snapshot, note: "step \(index + 1)"), signingKey: key))
        }
        #expect(try store.verifyChain(publicKey: key.publicKey).problems.isEmpty)
    }

    /// Route 1: a snapshot deleted with its rows, the chain table dropped, the schema set back to
    /// the version before the chain, so that a migration would re-chain what is left.
    static let dropChainSQL = """
        PRAGMA foreign_keys = ON;
        DELETE FROM comparisons WHERE snapshot_id = 2;
        DELETE FROM entries WHERE snapshot_id = 2;
        DELETE FROM snapshots WHERE id = 2;
        DROP TABLE chain_links;
        PRAGMA user_version = 4;
        """

    @Test("route 1: chain table dropped and schema set back — the store refuses to re-chain it")
    func droppedChainIsDamage() throws {
        let temp = try TemporaryDirectory.current()
        let key = ChainSigningKey()
        try Self.signedHistory(temp, key: key)
        #expect(sqlite(temp.path("history.db"), Self.dropChainSQL) == 0)
        for _ in 0..<2 {
            #expect {
                try SnapshotStore(path: temp.path("history.db"))
            } throws: { error in
                "\(error)".contains(
                    "was tampered with: its schema version was set back from \(SnapshotStore.schemaVersion) to 4 and its chain "
                        + "table (chain_links) was dropped")
            }
        }
    }

    @Test("the chain table dropped at the current schema version is damage too")
    func droppedChainSameVersion() throws {
        let temp = try TemporaryDirectory.current()
        try Self.signedHistory(temp, key: ChainSigningKey())
        #expect(sqlite(temp.path("history.db"), "DROP TABLE chain_links;") == 0)
        #expect {
            try SnapshotStore(path: temp.path("history.db"))
        } throws: { error in
            "\(error)".contains("its chain table (chain_links) was dropped")
        }
    }

    @Test("the schema set back with the chain table left in place is damage, not an SQLite error")
    func versionSetBack() throws {
        let temp = try TemporaryDirectory.current()
        try Self.signedHistory(temp, key: ChainSigningKey())
        #expect(sqlite(temp.path("history.db"), "PRAGMA user_version = 4;") == 0)
        #expect {
            try SnapshotStore(path: temp.path("history.db"))
        } throws: { error in
            "\(error)".contains("its schema version was set back from \(SnapshotStore.schemaVersion) to 4")
        }
    }

    /// Route 2: a note edited, every link re-hashed as the README describes, every signature removed.
    static func rehashWithoutSignatures(_ store: SnapshotStore) throws {
        try store.database.execute("UPDATE chain_links SET note = 'edited' WHERE snapshot_id = 2")
        var previous = ContentHash.zero
        for link in try store.chainLinks() {
            let hash = ChainSerialization.chainHash(
                snapshot: link.snapshot, previous: previous, takenAtNanoseconds: link.takenAtNanoseconds,
                rootPath: link.rootPath, metadata: link.metadata, manifestHash: link.manifestHash)
            try store.database.cached(
                "UPDATE chain_links SET previous_sha256 = ?, chain_sha256 = ?, signature = NULL WHERE snapshot_id = ?"
            ).run([.blob(previous.bytes), .blob(hash.bytes), .integer(link.snapshot.rawValue)])
            previous = hash
        }
    }

    @Test("route 2: signatures stripped after a consistent re-hash — verify fails, a signed cycle refuses")
    func strippedSignatures() throws {
        let temp = try TemporaryDirectory.current()
        let key = ChainSigningKey()
        try Self.signedHistory(temp, key: key)
        let store = try SnapshotStore(path: temp.path("history.db"))
        try Self.rehashWithoutSignatures(store)

        let before = try store.verifyChain(publicKey: key.publicKey)
        #expect(before.firstBadSnapshot == SnapshotID(1))
        #expect(before.problems.first?.message.contains("signing began at #1") == true)
        #expect(try store.verifyChain().problems.count == 3, "seen without the public key too")

        try temp.write("tree/node.toml", "threshold = 7\n")
        #expect {
            try store.takeSnapshot(of: temp.path("tree"), options: SnapshotOptions(signingKey: key))
        } throws: { error in
            "\(error)".hasPrefix("the hash chain does not verify, so this snapshot was not recorded")
        }
        #expect(try store.chainLinks().count == 3, "nothing recorded, nothing signed")
        let after = try store.verifyChain(publicKey: key.publicKey)
        #expect(after.problems.map(\.snapshot) == before.problems.map(\.snapshot))
    }

    @Test("a signed cycle refuses to sign on top of a chain whose hashes do not verify")
    func brokenHashRefused() throws {
        let temp = try TemporaryDirectory.current()
        let key = ChainSigningKey()
        try Self.signedHistory(temp, key: key)
        let store = try SnapshotStore(path: temp.path("history.db"))
        try store.database.execute("UPDATE chain_links SET note = 'edited' WHERE snapshot_id = 2")
        try temp.write("tree/node.toml", "threshold = 7\n")
        #expect {
            try store.takeSnapshot(of: temp.path("tree"), options: SnapshotOptions(signingKey: key))
        } throws: { error in
            "\(error)".contains("link #2's chain hash")
        }
        #expect(try store.chainLinks().count == 3)
    }

    @Test("another key cannot sign on top of the chain: the earlier signatures must verify with it")
    func otherKeyRefused() throws {
        let temp = try TemporaryDirectory.current()
        let key = ChainSigningKey()
        try Self.signedHistory(temp, key: key)
        let store = try SnapshotStore(path: temp.path("history.db"))
        try temp.write("tree/node.toml", "threshold = 7\n")
        #expect {
            try store.takeSnapshot(
                of: temp.path("tree"), options: SnapshotOptions(signingKey: ChainSigningKey()))
        } throws: { error in
            "\(error)".contains("signature does not verify") && "\(error)".contains("with another key")
        }
        try store.takeSnapshot(of: temp.path("tree"), options: SnapshotOptions(signingKey: key))
        #expect(try store.verifyChain(publicKey: key.publicKey).problems.isEmpty)
    }

    @Test("a store that signed before the marks existed gets its signing start from its first signed link")
    func signingStartAdopted() throws {
        let temp = try TemporaryDirectory.current()
        let key = ChainSigningKey()
        do {
            let store = try SnapshotStore(path: temp.path("history.db"))
            try temp.write("tree/node.toml", "threshold = 4\n")
            try store.takeSnapshot(of: temp.path("tree"))
            try temp.write("tree/node.toml", "threshold = 5\n")
            try store.takeSnapshot(of: temp.path("tree"), options: SnapshotOptions(signingKey: key))
            // What a store written by the previous version holds: signed links, no marks, schema 6.
            try store.database.execute("DROP TABLE chain_marks; PRAGMA user_version = 6")
        }
        let store = try SnapshotStore(path: temp.path("history.db"))
        #expect(try ChainMarks(database: store.database).signingStart()?.snapshot == SnapshotID(2))
        try Self.rehashWithoutSignatures(store)
        #expect(try store.verifyChain(publicKey: key.publicKey).firstBadSnapshot == SnapshotID(2))
    }
}
