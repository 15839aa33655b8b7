import DriftCore
import FileSystem
import SigningKeys
import TOML

/// The network's keyring, a TOML file the network coordinator distributes: the network's name,
/// its salt, and each party's Ed25519 public key pinned to its `party_id`.
///
/// ```toml
/// network = "zama-testnet"          # part of every digest: statements of two networks never match
/// salt = "3f1c…"                    # optional, hex (32 random bytes: openssl rand -hex 32)
///
/// [[party]]
/// party_id = 1
/// public_key_file = "keys/party1.pub"   # relative to this file; or public_key = """-----BEGIN PUBLIC KEY-----…"""
/// ```
/// A key may be pinned to one party only: two parties sharing a key could sign for each other.
package struct Keyring: Sendable {
    package let network: String
    /// The salt as lower-case hex; empty when the keyring has none.
    package let saltHex: String
    package let keys: [Int64: ChainPublicKey]
    /// Where it was read from, for messages.
    package let path: String

    package init(network: String, saltHex: String, keys: [Int64: ChainPublicKey], path: String) {
        self.network = network
        self.saltHex = saltHex
        self.keys = keys
        self.path = path
    }

    /// The parties in ascending order.
    package var partyIDs: [Int64] { keys.keys.sorted() }

    /// The party whose pinned key is `key`, if any.
    package func party(of key: ChainPublicKey) -> Int64? {
        keys.first { $0.value == key }?.key
    }

    /// Reads and checks a keyring file.
    package static func load(_ path: String) throws(NetworkAgreementError) -> Keyring {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(path, maximumSize: StatementFormat.maximumSize)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        let root: TOMLTable
        do {
            root = try TOMLParser().parse(bytes, fileName: path)
        } catch {
            throw .keyring(
                file: path, line: error.location.line, column: error.location.column,
                reason: "invalid TOML: \(error)")
        }
        return try parse(root, path: path)
    }

    static func parse(_ root: TOMLTable, path: String) throws(NetworkAgreementError) -> Keyring {
        func fail(_ location: SourceLocation, _ reason: String) -> NetworkAgreementError {
            .keyring(file: path, line: location.line, column: location.column, reason: reason)
        }
        for entry in root.entries where !["network", "salt", "party"].contains(entry.key) {
            throw fail(
                entry.keyLocation, "unknown key `\(entry.key)`; a keyring has network, salt and [[party]]")
        }
        guard let networkEntry = root.entry(forKey: "network") else {
            throw fail(
                root.location, "missing key `network` (the network's name, e.g. network = \"zama-testnet\")")
        }
        guard case .string(let network) = networkEntry.value, !network.isEmpty,
            network.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
        else {
            throw fail(
                networkEntry.valueLocation, "`network` must be a non-empty string without control characters")
        }
        var saltHex = ""
        if let saltEntry = root.entry(forKey: "salt") {
            guard case .string(let text) = saltEntry.value, !text.isEmpty, text.count % 2 == 0,
                text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0 | 0x20) })
            else {
                throw fail(
                    saltEntry.valueLocation, "`salt` must be hex digits (openssl rand -hex 32 writes one)")
            }
            saltHex = text.lowercased()
        }
        guard let partiesEntry = root.entry(forKey: "party"), case .array(let parties) = partiesEntry.value,
            parties.count > 0
        else {
            throw fail(root.location, "no [[party]] entries: pin each party's public key to its party_id")
        }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) }
        var keys: [Int64: ChainPublicKey] = [:]
        for position in 0..<parties.count {
            let location = parties.locations[position]
            guard let party = parties[position].tableValue else {
                throw fail(location, "each [[party]] must be a table")
            }
            for entry in party.entries
            where !["party_id", "public_key", "public_key_file"].contains(entry.key) {
                throw fail(
                    entry.keyLocation,
                    "unknown key `\(entry.key)` in [[party]]; give party_id and public_key or public_key_file"
                )
            }
            guard let id = party["party_id"]?.integerValue, id > 0 else {
                throw fail(party.location, "[[party]] needs a positive integer party_id")
            }
            guard keys[id] == nil else { throw fail(party.location, "party_id \(id) is pinned twice") }
            let key: ChainPublicKey
            do {
                if let text = party["public_key"]?.stringValue {
                    key = try ChainPublicKey.parse(pem: text, source: "\(path): party \(id)'s public_key")
                } else if let file = party["public_key_file"]?.stringValue {
                    let resolved = file.hasPrefix("/") || directory == nil ? file : directory! + "/" + file
                    key = try ChainPublicKey.load(path: resolved)
                } else {
                    throw fail(party.location, "party \(id) has neither public_key nor public_key_file")
                }
            } catch let error as NetworkAgreementError {
                throw error
            } catch {
                throw fail(party.location, "party \(id): \(error)")
            }
            if let other = keys.first(where: { $0.value == key })?.key {
                throw fail(
                    party.location,
                    "party \(id) has the same public key as party \(other); each party signs with its own key"
                )
            }
            keys[id] = key
        }
        return Keyring(network: network, saltHex: saltHex, keys: keys, path: path)
    }
}
