import Crypto
import SigningKeys

/// What stands between a signing key and a chain it must not sign: before a new link is signed,
/// the chain below it is verified (every link's hash and place, every held manifest, every earlier
/// signature with this key's public half, every link since signing began signed); after, the
/// start of signing is recorded in `chain_marks`, outside the chain table, so that stripping every
/// signature and re-hashing the links no longer reads as "a store that never signed".
struct ChainSigningGuard {
    let database: Database

    /// Throws ``SnapshotStoreError/chainUnverified(problems:)`` when the chain below `snapshot`
    /// (written in this transaction, not linked yet) does not verify with `key`'s public half.
    func checkBeforeSigning(_ snapshot: SnapshotID, with key: ChainSigningKey) throws {
        let verification = try ChainVerifier(database: database).verify(
            publicKey: key.publicKey, witnesses: [], appending: snapshot)
        var problems = verification.problems.map(\.message)
        if let start = try ChainMarks(database: database).signingStart(), let recorded = start.publicKeyHex,
            recorded != key.publicKey.hex
        {
            problems.insert(
                "the chain has been signed since \(start.snapshot) with another key (public key \(recorded)); "
                    + "this signing key's public key is \(key.publicKey.hex)", at: 0)
        }
        guard problems.isEmpty else { throw SnapshotStoreError.chainUnverified(problems: problems) }
    }

    /// Records, once, that signing began with `snapshot` and `key`; fills in the key of a start
    /// recorded before keys were.
    func recordSigning(_ snapshot: SnapshotID, with key: ChainSigningKey) throws {
        let marks = ChainMarks(database: database)
        guard try marks.exist() else { return }
        let start = try marks.signingStart()
        guard start?.publicKeyHex == nil else { return }
        let began = ChainMarks.SigningStart(
            snapshot: start?.snapshot ?? snapshot, publicKeyHex: key.publicKey.hex)
        try marks.set(.signingBegan, began.text)
    }
}

extension ChainPublicKey {
    /// Lowercase hex of the 32 raw bytes of the key.
    var hex: String { ChainSerialization.hex(bytes: rawBytes) }
}
