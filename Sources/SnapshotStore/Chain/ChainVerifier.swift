import SigningKeys

/// One thing wrong with the chain, naming the snapshot where it is.
package struct ChainProblem: Sendable, Hashable, CustomStringConvertible {
    /// The snapshot whose link is wrong; `nil` when no snapshot can be named (a witness of a head
    /// that is nowhere in the chain, without a snapshot number).
    package var snapshot: SnapshotID?
    package var message: String

    package var description: String { message }
}

/// What re-checking the chain found.
package struct ChainVerification: Sendable {
    /// Links checked, oldest first.
    package var links: [ChainLink]
    /// Links whose snapshot is still held, so its manifest was re-hashed too.
    package var heldLinks: Int
    package var signedLinks: Int
    /// Witnesses found in the chain, with the snapshot they matched.
    package var confirmedWitnesses: [(witness: ChainWitness, snapshot: SnapshotID)]
    /// Problems in chain order; empty when the chain is intact.
    package var problems: [ChainProblem]

    package var head: ChainLink? { links.last }

    /// The earliest snapshot a problem names: where the recorded history stops being trustworthy.
    package var firstBadSnapshot: SnapshotID? { problems.compactMap(\.snapshot).min() }
}

/// Re-checks the hash chain: each link follows the one before it, its chain hash matches its
/// metadata and manifest hash, the manifest of every held snapshot still hashes to what was
/// chained, no snapshot lacks a link, no link lost its snapshot except by rotation, every
/// signature verifies (with a public key), and every witnessed head is in the chain.
struct ChainVerifier {
    let database: Database

    /// - Parameter appending: a snapshot written in the current transaction whose link is about to
    ///   be appended (and signed): it is not yet expected to have a link, nor the head to be signed.
    func verify(publicKey: ChainPublicKey?, witnesses: [ChainWitness], appending: SnapshotID? = nil) throws
        -> ChainVerification
    {
        let links = try ChainWriter(database: database).links()
        let signingStart = try ChainMarks(database: database).signingStart()
        var held: [SnapshotID: (takenAt: Int64, root: String)] = [:]
        try database.prepare("SELECT id, taken_at_ns, root FROM snapshots").forEachRow {
            held[SnapshotID($0.int64(0))] = ($0.int64(1), $0.text(2))
        }
        var originTexts: [SnapshotID: String] = [:]
        try database.prepare("SELECT snapshot_id, origin FROM chain_links").forEachRow {
            originTexts[SnapshotID($0.int64(0))] = $0.text(1)
        }

        var problems: [ChainProblem] = []
        func problem(_ snapshot: SnapshotID?, _ message: String) {
            problems.append(ChainProblem(snapshot: snapshot, message: message))
        }
        var expectedPrevious = ContentHash.zero
        var previous: SnapshotID? = nil
        var firstSigned: SnapshotID? = nil
        var heldLinks = 0
        var signedLinks = 0
        for link in links {
            let id = link.snapshot
            defer {
                expectedPrevious = link.chainHash
                previous = id
            }
            guard link.format == ChainSerialization.currentFormat else {
                problem(
                    id,
                    "link \(id) uses chain serialisation version \(link.format), which this kms-drift "
                        + "does not know; verify with the kms-drift that wrote it")
                continue
            }
            if link.previousHash != expectedPrevious {
                if let previous {
                    problem(
                        id,
                        "link \(id) does not follow \(previous): it names \(link.previousHash) as its "
                            + "predecessor, but \(previous)'s chain hash is \(expectedPrevious) — a snapshot was "
                            + "deleted, inserted or reordered between them")
                } else {
                    problem(
                        id,
                        "link \(id) is the first link but names \(link.previousHash) as its predecessor: "
                            + "the links before it were deleted")
                }
            }
            if let origin = originTexts[id], SnapshotOrigin(rawValue: origin) == nil {
                problem(
                    id,
                    "link \(id) names an origin \"\(origin)\" that kms-drift never writes: the link was edited"
                )
            }
            let recomputed = ChainSerialization.chainHash(
                snapshot: id, previous: link.previousHash, takenAtNanoseconds: link.takenAtNanoseconds,
                rootPath: link.rootPath, metadata: link.metadata, manifestHash: link.manifestHash)
            if recomputed != link.chainHash {
                problem(
                    id,
                    "link \(id)'s chain hash \(link.chainHash) does not match its metadata and manifest "
                        + "hash (they hash to \(recomputed)): the link was edited")
            }
            if let snapshot = held[id] {
                heldLinks += 1
                if snapshot.takenAt != link.takenAtNanoseconds || snapshot.root != link.rootPath {
                    problem(
                        id,
                        "snapshot \(id)'s time or directory differ from its chain link: the snapshot "
                            + "row was edited")
                }
                let manifest = try ChainSerialization.manifestHash(of: id, in: database)
                if manifest != link.manifestHash {
                    problem(
                        id,
                        "snapshot \(id)'s files no longer match the manifest that was chained (it hashed "
                            + "to \(link.manifestHash), now to \(manifest)): a file's record or content hash was "
                            + "edited, added or removed")
                }
            } else if link.rotatedAtNanoseconds == nil {
                problem(
                    id,
                    "snapshot \(id) is gone but rotation never deleted it: it was deleted outside kms-drift")
            }
            if let signingStart, id >= signingStart.snapshot, link.signature == nil {
                problem(
                    id,
                    "link \(id) is not signed, but signing began at \(signingStart.snapshot) and every link "
                        + "from there on must be: its signature was removed, or it was written without the "
                        + "signing key")
            } else if let publicKey {
                if let signature = link.signature {
                    signedLinks += 1
                    firstSigned = firstSigned ?? id
                    if !publicKey.isValid(signature, for: link.chainHash) {
                        problem(
                            id,
                            "link \(id)'s signature does not verify with the public key: the link was "
                                + "written without the signing key")
                    }
                } else if let firstSigned, signingStart == nil {
                    problem(
                        id,
                        "link \(id) is not signed, but links from \(firstSigned) on are: it was "
                            + "written without the signing key")
                }
            } else if link.signature != nil {
                signedLinks += 1
            }
        }
        let linked = Set(links.map(\.snapshot))
        for id in held.keys.sorted() where !linked.contains(id) && id != appending {
            problem(id, "snapshot \(id) has no chain link: it was added outside kms-drift")
        }
        if let signingStart, !links.contains(where: { $0.snapshot >= signingStart.snapshot }),
            appending == nil
        {
            problem(
                signingStart.snapshot,
                "signing began at \(signingStart.snapshot), but no link from there on is left: the signed "
                    + "links were deleted")
        }
        if publicKey != nil, appending == nil, signingStart == nil, let head = links.last,
            head.signature == nil
        {
            problem(
                head.snapshot,
                firstSigned == nil
                    ? "no link is signed, so the public key proves nothing: set [store] signing_key and take a "
                        + "snapshot, or verify without --public-key"
                    : "the head \(head.snapshot) is not signed")
        }
        var confirmed: [(witness: ChainWitness, snapshot: SnapshotID)] = []
        let byHash = Dictionary(
            links.map { ($0.chainHash, $0.snapshot) }, uniquingKeysWith: { first, _ in first })
        for witness in witnesses {
            guard let found = byHash[witness.chainHash] else {
                problem(
                    witness.snapshot,
                    "the head \(witness.chainHash) witnessed at \(witness.source) is not in "
                        + "the chain: the history was rewritten after it was witnessed")
                continue
            }
            if let named = witness.snapshot, named != found {
                problem(
                    named,
                    "the head \(witness.chainHash) witnessed at \(witness.source) as snapshot \(named) "
                        + "is snapshot \(found)'s in the chain: the history was renumbered")
                continue
            }
            confirmed.append((witness, found))
        }
        problems.sort { ($0.snapshot?.rawValue ?? .max) < ($1.snapshot?.rawValue ?? .max) }
        return ChainVerification(
            links: links, heldLinks: heldLinks, signedLinks: signedLinks, confirmedWitnesses: confirmed,
            problems: problems)
    }
}
