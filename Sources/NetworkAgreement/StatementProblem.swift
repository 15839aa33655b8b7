/// Why a statement cannot count: each is named in the report, and none counts as agreeing.
package enum StatementProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not JSON, not version 1, a member missing or of the wrong type.
    case malformed(String)
    /// A URL that could not be fetched.
    case unreadable(String)
    /// Signed for a party the keyring does not pin.
    case unknownParty(Int64)
    /// No signature at all.
    case unsigned
    /// The signature is not the claimed party's over these bytes, nor anyone's: altered after signing.
    case badSignature
    /// Signed by the key the keyring pins for another party.
    case wrongKey(signer: Int64)
    case otherNetwork(String)
    case otherSalt(String)
    /// Signed, but its values or groups do not sum up to its digests (a broken signer).
    case inconsistent(String)
    /// A sequence number not above the last one seen from this party.
    case replayed(sequence: Int64, lastSeen: Int64)
    /// Dated ahead of this host's clock by more than the allowed skew: it would never turn stale.
    case future(seconds: Int64)

    /// A stable word for JSON and for alert keys.
    package var code: String {
        switch self {
        case .malformed: return "malformed"
        case .unreadable: return "unreadable"
        case .unknownParty: return "unknown-party"
        case .unsigned: return "unsigned"
        case .badSignature: return "bad-signature"
        case .wrongKey: return "wrong-key"
        case .otherNetwork: return "other-network"
        case .otherSalt: return "other-salt"
        case .inconsistent: return "inconsistent"
        case .replayed: return "replayed"
        case .future: return "future"
        }
    }

    package var description: String {
        switch self {
        case .malformed(let reason): return "not a valid statement: \(reason)"
        case .unreadable(let reason): return "could not be read: \(reason)"
        case .unknownParty(let id):
            return "signed for party \(id), which the keyring does not pin (an old keyring, or a stray file)"
        case .unsigned: return "unsigned: it has no signature, so anyone could have written it"
        case .badSignature:
            return "bad signature: it does not verify with the party's pinned key (altered after signing)"
        case .wrongKey(let signer):
            return "signed by the wrong key: party \(signer)'s pinned key signed it, not the party it names"
        case .otherNetwork(let name):
            return "made for another network (\"\(name)\"): check the keyring it was made with"
        case .otherSalt(let id):
            return "made with another salt (salt_id \(id)): the party needs the current keyring"
        case .inconsistent(let reason): return "inconsistent: \(reason)"
        case .replayed(let sequence, let lastSeen):
            return "replayed: sequence \(sequence) is not above \(lastSeen), already seen from this party"
        case .future(let seconds):
            return
                "dated \(seconds) s ahead of this host's clock: check both clocks (NTP); it counts only once its time has come"
        }
    }
}
