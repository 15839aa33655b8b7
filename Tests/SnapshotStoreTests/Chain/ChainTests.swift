import Crypto
import Glibc
import SigningKeys
import TestSupport
import Testing

@testable import SnapshotStore

/// A store with three snapshots of a small tree, each differing from the last.
private func threeSnapshots(_ temp: TemporaryDirectory, signingKey: ChainSigningKey? = nil) throws
    -> SnapshotStore
{
    let store = try SnapshotStore(path: temp.path("history.db"))
    var options = SnapshotOptions(
        metadata: SnapshotMetadata.current(origin: .snapshot), signingKey: signingKey)
    try temp.write("tree/node.toml", "threshold = 4\n")
    try temp.write("tree/keys/party.key", randomBytes(300), mode: 0o600)
    try store.takeSnapshot(of: temp.path("tree"), options: options)
    try temp.write("tree/node.toml", "threshold = 5\n")
    #expect(symlink("node.toml", temp.path("tree/current")) == 0)
    options.metadata.note = "CHG-1: threshold 5"
    try store.takeSnapshot(of: temp.path("tree"), options: options)
    try temp.write("tree/extra.toml", "port = 50001\n")
    options.metadata.note = nil
    try store.takeSnapshot(of: temp.path("tree"), options: options)
    return store
}

@Suite("the hash chain", .temporaryDirectory)
struct ChainTests {
    @Test("every snapshot is a link that names the one before it, and the chain verifies")
    func linksFollowEachOther() throws {
        let temp = try TemporaryDirectory.current()
        let store = try threeSnapshots(temp)
        let links = try store.chainLinks()
        #expect(links.map(\.snapshot) == [SnapshotID(1), SnapshotID(2), SnapshotID(3)])
        #expect(links[0].previousHash == .zero)
        #expect(links[1].previousHash == links[0].chainHash)
        #expect(links[2].previousHash == links[1].chainHash)
        #expect(Set(links.map(\.chainHash)).count == 3)
        let result = try store.verifyChain()
        #expect(result.problems.isEmpty)
        #expect(result.heldLinks == 3)
        #expect(result.head?.chainHash == links[2].chainHash)
    }

    @Test(
        "the chain hash is SHA-256 of the documented header, whose manifest line is SHA-256 of the manifest")
    func documentedSerialisation() throws {
        let temp = try TemporaryDirectory.current()
        let store = try threeSnapshots(temp)
        let link = try #require(try store.chainLink(of: .id(SnapshotID(2))))
        let manifest = try store.canonicalManifest(of: .id(SnapshotID(2)))
        // Sorted by path bytes; kind, octal mode, owner, size, hash, hex path, hex detail.
        let lines = manifest.split(separator: "\n").map(String.init)
        let keyHash = SHA256.hash(data: randomBytes(300)).map { String($0, radix: 16).leftPadded(2) }.joined()
        // Owners in decimal; the directory `keys` with its mode, owner and lstat size.
        let keys = try lstatus(temp.path("tree/keys"))
        let owner = "\(keys.st_uid) \(keys.st_gid)"
        #expect(
            lines == [
                "link 0777 \(owner) 9 - \(hex("current")) \(hex("node.toml"))",
                "dir \(String(keys.st_mode & 0o7777, radix: 8).leftPadded(4)) \(owner) \(keys.st_size) - \(hex("keys")) -",
                "file 0600 \(owner) 300 \(keyHash) \(hex("keys/party.key")) -",
                "file 0644 \(owner) 14 \(sha256Hex("threshold = 5\n")) \(hex("node.toml")) -",
            ])
        #expect(sha256Hex(manifest) == link.manifestHash.hex)
        let header = [
            "kms-drift chain v1",
            "snapshot 2",
            "previous \(link.previousHash.hex)",
            "taken_at_ns \(link.takenAtNanoseconds)",
            "root \(hex(temp.path("tree")))",
            "host \(hex(try #require(link.metadata.hostName)))",
            "machine_id \(link.metadata.machineID.map(hex) ?? "-")",
            "tool_version \(hex(KMSDriftVersion.current))",
            "origin snapshot",
            "note \(hex("CHG-1: threshold 5"))",
            "network_fingerprint -",
            "manifest \(link.manifestHash.hex)",
        ].map { $0 + "\n" }.joined()
        #expect(sha256Hex(header) == link.chainHash.hex)
    }

    @Test("an unchanged snapshot reuses the manifest hash; a changed mode does not; verify recomputes both")
    func unchangedSnapshots() throws {
        let temp = try TemporaryDirectory.current()
        let store = try threeSnapshots(temp)
        let unchanged = try #require(try store.takeSnapshot(of: temp.path("tree")).chain)
        let third = try #require(try store.chainLink(of: .id(SnapshotID(3))))
        #expect(unchanged.manifestHash == third.manifestHash)
        #expect(unchanged.chainHash != third.chainHash)
        #expect(chmod(temp.path("tree/node.toml"), 0o600) == 0)
        let changed = try #require(try store.takeSnapshot(of: temp.path("tree")).chain)
        #expect(changed.manifestHash != unchanged.manifestHash)
        #expect(try store.verifyChain().problems.isEmpty)
    }

    @Test("rotation deletes the files but keeps the links: the chain verifies back to the first snapshot")
    func rotationKeepsLinks() throws {
        let temp = try TemporaryDirectory.current()
        let store = try threeSnapshots(temp)
        let rotated = try store.rotate(keepNewest: 1)
        #expect(rotated.deletedSnapshots == [SnapshotID(1), SnapshotID(2)])
        let links = try store.chainLinks()
        #expect(links.count == 3)
        #expect(
            links.filter { $0.rotatedAtNanoseconds != nil }.map(\.snapshot) == [SnapshotID(1), SnapshotID(2)])
        let result = try store.verifyChain()
        #expect(result.problems.isEmpty)
        #expect(result.heldLinks == 1)
    }

    @Test("an edited manifest row is found, naming the first snapshot that holds it")
    func editedManifestRow() throws {
        let temp = try TemporaryDirectory.current()
        let store = try threeSnapshots(temp)
        // Make the key world-readable in the record, as someone hiding a loosened mode would.
        try store.database.execute(
            "UPDATE file_states SET mode = 420 WHERE path_id = (SELECT id FROM paths WHERE path = 'keys/party.key')"
        )
        let result = try store.verifyChain()
        #expect(result.firstBadSnapshot == SnapshotID(1))
        #expect(result.problems.map(\.snapshot) == [SnapshotID(1), SnapshotID(2), SnapshotID(3)])
        #expect(result.problems[0].message.contains("no longer match the manifest that was chained"))
    }

    @Test(
        "an edited blob is found by re-hashing; a blob edited together with its hash breaks the digest and the chain"
    )
    func editedBlob() throws {
        let temp = try TemporaryDirectory.current()
        let store = try threeSnapshots(temp)
        let hash = try #require(try store.file("extra.toml", in: .latest).contentHash)
        try store.database.execute(
            """
            UPDATE blob_chunks SET data = CAST('port = 50666\n' AS BLOB), encoding = 0
            WHERE blob_id = (SELECT id FROM blobs WHERE hex(sha256) = '\(hash.hex.uppercased())')
            """)
        #expect(try store.verify().map(\.blobHash) == [hash])
        // A careful attacker also rewrites the hash so that re-hashing agrees: the manifest no longer does.
        let forged = Array(SHA256.hash(data: Array("port = 50666\n".utf8)))
        try store.database.prepare("UPDATE blobs SET sha256 = ? WHERE sha256 = ?").run([
            .blob(forged), .blob(hash.bytes),
        ])
        // Re-hashing the content now agrees; the manifest digest kept with snapshot 3 (schema 3)
        // does not, and the chain does not either.
        let problems = try store.verify()
        #expect(problems.allSatisfy { $0.blobHash == nil }, "\(problems)")
        #expect(
            problems.map(\.message).contains { $0.hasPrefix("snapshot #3: its list of files is damaged") })
        let result = try store.verifyChain()
        #expect(result.firstBadSnapshot == SnapshotID(3))
        #expect(result.problems.count == 1)
    }

    @Test(
        "a deleted snapshot is found: by the broken link after it, or by its link that rotation never marked")
    func deletedSnapshot() throws {
        let temp = try TemporaryDirectory.current()
        let store = try threeSnapshots(temp)
        try store.database.execute("DELETE FROM snapshots WHERE id = 2")
        var result = try store.verifyChain()
        #expect(result.firstBadSnapshot == SnapshotID(2))
        #expect(result.problems.first?.message.contains("rotation never deleted it") == true)

        try store.database.execute("DELETE FROM chain_links WHERE snapshot_id = 2")
        result = try store.verifyChain()
        #expect(result.firstBadSnapshot == SnapshotID(3))
        #expect(result.problems.first?.message.contains("does not follow #1") == true)
    }

    @Test("two snapshots swapped in order are found")
    func swappedSnapshots() throws {
        let temp = try TemporaryDirectory.current()
        let store = try threeSnapshots(temp)
        // Swap #1 and #2 everywhere: snapshot rows, manifests and links, through a free id.
        for (from, to) in [(1, 100), (2, 1), (100, 2)] {
            try store.database.execute(
                """
                PRAGMA foreign_keys = OFF;
                UPDATE snapshots SET id = \(to) WHERE id = \(from);
                UPDATE entries SET snapshot_id = \(to) WHERE snapshot_id = \(from);
                UPDATE chain_links SET snapshot_id = \(to) WHERE snapshot_id = \(from);
                PRAGMA foreign_keys = ON;
                """)
        }
        let result = try store.verifyChain()
        #expect(result.firstBadSnapshot == SnapshotID(1))
        #expect(result.problems.contains { $0.message.contains("is the first link but names") })
    }

    @Test(
        "a whole database rebuilt consistently without the signing key fails the signatures and the witness")
    func rebuiltWithoutKey() throws {
        let temp = try TemporaryDirectory.current()
        let key = ChainSigningKey()
        let store = try threeSnapshots(temp, signingKey: key)
        let witnessed = try #require(try store.chainHead())
        #expect(try store.verifyChain(publicKey: key.publicKey).problems.isEmpty)
        #expect(try store.verifyChain(publicKey: key.publicKey).signedLinks == 3)

        // The attacker edits a record, then re-chains every snapshot: with no key, or their own.
        try store.database.execute("UPDATE file_states SET size = size + 1 WHERE kind = 0")
        try store.database.execute("DELETE FROM chain_links")
        for (index, attackerKey) in [nil, ChainSigningKey(), nil].enumerated() {
            // With their own code: kms-drift's writer verifies the chain before it signs.
            let link = try ChainWriter(database: store.database).append(
                SnapshotID(Int64(index + 1)), metadata: SnapshotMetadata.current(origin: .snapshot),
                signingKey: nil)
            if let attackerKey {
                try store.database.cached("UPDATE chain_links SET signature = ? WHERE snapshot_id = ?").run([
                    .blob(try attackerKey.sign(link.chainHash)), .integer(link.snapshot.rawValue),
                ])
            }
        }
        let unkeyed = try store.verifyChain()
        #expect(
            unkeyed.problems.map(\.snapshot) == [SnapshotID(1), SnapshotID(3)],
            "signing began at #1: the unsigned links show even without the public key")
        let signed = try store.verifyChain(publicKey: key.publicKey)
        #expect(signed.firstBadSnapshot == SnapshotID(1))
        #expect(signed.problems.contains { $0.message.contains("signature does not verify") })
        #expect(
            signed.problems.contains { $0.message.contains("link #3 is not signed, but signing began at #1") }
        )
        let witness = ChainWitness(
            chainHash: witnessed.chainHash, snapshot: witnessed.snapshot, source: "journal:7")
        let checked = try store.verifyChain(witnesses: [witness])
        #expect(
            checked.problems.contains {
                $0.snapshot == SnapshotID(3)
                    && $0.message.contains("witnessed at journal:7 is not in the chain")
            })
    }

    @Test(
        "links taken before signing began are covered by the first signed one; an unsigned link after it is not"
    )
    func unsignedPrefix() throws {
        let temp = try TemporaryDirectory.current()
        let key = ChainSigningKey()
        let store = try threeSnapshots(temp)
        try temp.write("tree/later.toml", "x = 1\n")
        try store.takeSnapshot(of: temp.path("tree"), options: SnapshotOptions(signingKey: key))
        #expect(try store.verifyChain(publicKey: key.publicKey).problems.isEmpty)
        try temp.write("tree/later.toml", "x = 2\n")
        try store.takeSnapshot(of: temp.path("tree"))
        let result = try store.verifyChain(publicKey: key.publicKey)
        #expect(result.problems.map(\.snapshot) == [SnapshotID(5)])
        #expect(result.problems.first?.message.contains("signing began at #4") == true)
    }

    @Test("witnesses in a log: confirmed when in the chain, refused when renumbered")
    func witnesses() throws {
        let temp = try TemporaryDirectory.current()
        let store = try threeSnapshots(temp)
        let links = try store.chainLinks()
        let log = """
            Nov 30 10:00:01 node kms-drift[42]: <6>snapshot=1 files=2 chain=sha256:\(links[0].chainHash.hex) msg="snapshot recorded"
            Nov 30 10:01:01 node kms-drift[42]: <6>event=recovered snapshot=2 msg="back"
            sha256:\(links[1].chainHash.hex)
            Nov 30 10:02:01 node kms-drift[42]: <6>snapshot=2 chain=sha256:\(links[2].chainHash.hex) msg="x"
            """
        let witnesses = ChainWitness.parseFile(log, name: "journal.txt")
        #expect(witnesses.map(\.source) == ["journal.txt:1", "journal.txt:3", "journal.txt:4"])
        #expect(witnesses.map(\.snapshot) == [SnapshotID(1), nil, SnapshotID(2)])
        let result = try store.verifyChain(witnesses: witnesses)
        #expect(result.confirmedWitnesses.map(\.snapshot) == [SnapshotID(1), SnapshotID(2)])
        #expect(result.problems.map(\.snapshot) == [SnapshotID(2)])
        #expect(result.problems.first?.message.contains("renumbered") == true)
    }

    @Test(
        "metadata: host, machine id, version, origin, note and the network fingerprint of the configured file"
    )
    func metadata() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/kms-server.toml", "[threshold]\nmy_id = 1\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        let options = SnapshotOptions(
            metadata: .current(origin: .daemon, note: "first"),
            networkFingerprint: NetworkFingerprintSource(relativePath: "kms-server.toml") { bytes in
                "sha256:" + sha256Hex(String(decoding: bytes, as: UTF8.self))
            })
        let result = try store.takeSnapshot(of: temp.path("tree"), options: options)
        let link = try #require(result.chain)
        #expect(link.metadata.origin == .daemon)
        #expect(link.metadata.note == "first")
        #expect(link.metadata.toolVersion == KMSDriftVersion.current)
        #expect(link.metadata.hostName?.isEmpty == false)
        #expect(link.metadata.machineID == SnapshotMetadata.machineIdentifier())
        #expect(link.metadata.networkFingerprint == "sha256:" + sha256Hex("[threshold]\nmy_id = 1\n"))
        #expect(try store.chainLink(of: .latest) == link)
    }

    @Test("a store from before the chain is chained on first open, its snapshots' metadata unknown")
    func migration() throws {
        let temp = try TemporaryDirectory.current()
        do {
            let store = try threeSnapshots(temp)
            try store.rotate(keepNewest: 2)
            // What a store written before the chain (schema 4) holds: no chain table, no chain marks,
            // none of schema 6.
            try store.database.execute(
                """
                DROP TABLE chain_marks; DROP TABLE chain_links; DELETE FROM store_keys WHERE name = 'store-identity';
                ALTER TABLE snapshots DROP COLUMN checked_at_ns; ALTER TABLE snapshots DROP COLUMN unchanged_checks;
                ALTER TABLE baseline DROP COLUMN previous_snapshot_id; ALTER TABLE baseline DROP COLUMN previous_reason;
                PRAGMA user_version = 4
                """)
        }
        let reopened = try SnapshotStore(path: temp.path("history.db"))
        #expect(try reopened.integer("PRAGMA user_version") == Int64(SnapshotStore.schemaVersion))
        let links = try reopened.chainLinks()
        #expect(links.map(\.snapshot) == [SnapshotID(2), SnapshotID(3)])
        #expect(links.allSatisfy { $0.metadata == SnapshotMetadata(origin: .unknown) })
        #expect(try reopened.verifyChain().problems.isEmpty)
        try temp.write("tree/new.toml", "y = 1\n")
        let next = try reopened.takeSnapshot(of: temp.path("tree"))
        #expect(next.chain?.previousHash == links[1].chainHash)
        #expect(try reopened.verifyChain().problems.isEmpty)
    }
}

/// `lstat` of a path, or a thrown error naming it.
func lstatus(_ path: String) throws -> stat {
    var status = stat()
    try #require(lstat(path, &status) == 0, "lstat \(path)")
    return status
}

func sha256Hex(_ text: String) -> String {
    SHA256.hash(data: Array(text.utf8)).map { String($0, radix: 16).leftPadded(2) }.joined()
}

func hex(_ text: String) -> String {
    text.utf8.map { String($0, radix: 16).leftPadded(2) }.joined()
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
