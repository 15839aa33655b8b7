import FoundationEssentials
import SigningKeys

/// Signs and verifies statements with the `kms-drift keygen` key format.
package enum StatementSigning {
    static let prefix = "ed25519:"

    /// `statement` with its signature set.
    package static func signed(_ statement: Statement, with key: ChainSigningKey)
        throws(NetworkAgreementError)
        -> Statement
    {
        var result = statement
        result.signature = nil
        do {
            let signature = try key.signature(of: Array(result.signedText.utf8))
            result.signature = prefix + Data(signature).base64EncodedString()
        } catch {
            throw .key("signing the statement failed: \(error)")
        }
        return result
    }

    /// True when the statement carries a signature by `key` over its signed text.
    package static func isSigned(_ statement: Statement, by key: ChainPublicKey) -> Bool {
        guard let bytes = signatureBytes(statement) else { return false }
        return key.isValidSignature(bytes, of: Array(statement.signedText.utf8))
    }

    /// The 64 signature bytes; nil when absent or not `ed25519:` base64.
    static func signatureBytes(_ statement: Statement) -> [UInt8]? {
        guard let text = statement.signature, text.hasPrefix(prefix),
            let data = Data(base64Encoded: String(text.dropFirst(prefix.count))), data.count == 64
        else { return nil }
        return Array(data)
    }
}

/// Builds this party's statement from its kms-server configuration.
package struct StatementMaker: Sendable {
    package let keyring: Keyring
    package let key: ChainSigningKey
    /// Include the canonical values beside the digests (`--with-values`).
    package let withValues: Bool

    package init(keyring: Keyring, key: ChainSigningKey, withValues: Bool = false) {
        self.keyring = keyring
        self.key = key
        self.withValues = withValues
    }

    /// The signed statement of `components` for `partyID`. Refused when the keyring pins another
    /// key (or none) for this party: the others would reject it anyway, and now is when the
    /// operator can fix it.
    package func make(
        components: SharedComponents, partyID: Int64, time: String, sequence: Int64, chainHead: String?
    ) throws(NetworkAgreementError) -> Statement {
        try checkKey(partyID: partyID)
        guard sequence >= 0 else { throw .invalidOption("the sequence number must not be negative") }
        let statement = Statement(
            network: keyring.network, saltID: StatementFormat.saltIdentifier(saltHex: keyring.saltHex),
            partyID: partyID, time: time, sequence: sequence, chainHead: chainHead,
            components: components.digests(network: keyring.network, saltHex: keyring.saltHex),
            values: withValues ? components.values : [:])
        return try StatementSigning.signed(statement, with: key)
    }

    /// Refuses a party the keyring does not pin, or pins with another key.
    package func checkKey(partyID: Int64) throws(NetworkAgreementError) {
        guard let pinned = keyring.keys[partyID] else {
            throw .unknownSelf(partyID: partyID, keyring: keyring.path)
        }
        guard pinned == key.publicKey else {
            let holder = keyring.party(of: key.publicKey).map { "; it pins this key for party \($0)" } ?? ""
            throw .key(
                "the keyring \(keyring.path) pins another public key for party \(partyID)\(holder): sign with "
                    + "party \(partyID)'s own key, or ask the coordinator to pin this one")
        }
    }
}
