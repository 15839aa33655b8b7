/// Why a statement could not be made or a network check could not run, in operator words.
/// (A bad statement from another party is not an error: `network check` reports it.)
package enum NetworkAgreementError: Error, CustomStringConvertible, Sendable, Equatable {
    case keyring(file: String, line: Int, column: Int, reason: String)
    case unreadable(path: String, reason: String)
    case certificate(peer: Int64, source: String, reason: String)
    case key(String)
    case noPartyIdentifier
    case unknownSelf(partyID: Int64, keyring: String)
    case invalidOption(String)
    case unwritable(path: String, reason: String)
    case state(path: String, line: Int, reason: String)

    package var description: String {
        switch self {
        case .keyring(let file, let line, let column, let reason):
            return "\(file):\(line):\(column): \(reason)"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .certificate(let peer, let source, let reason):
            return "the certificate of peer \(peer) (\(source)): \(reason); a statement states every peer's "
                + "certificate, so fix the peer entry or the file"
        case .key(let reason):
            return reason
        case .noPartyIdentifier:
            return "the configuration has no integer threshold.my_id; give --party-id N"
        case .unknownSelf(let partyID, let keyring):
            return
                "the keyring \(keyring) pins no key for party \(partyID); ask the network coordinator to add "
                + "this party's public key (kms-drift keygen writes it)"
        case .invalidOption(let reason):
            return reason
        case .unwritable(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .state(let path, let line, let reason):
            return "\(path):\(line): \(reason); fix or delete the state file (only replay detection is lost)"
        }
    }
}
