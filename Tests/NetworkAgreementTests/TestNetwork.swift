import DriftCore
import FileSystem
import Foundation
import NetworkAgreement
import SigningKeys
import SnapshotStore
import TOML
import TestSupport

/// A network of generated parties for the tests: each party's kms-server config from the workload
/// generator (server format, per-party values differing as in a real network: my_id, storage
/// prefixes, root key ids, telemetry names), every peer's certificate on each party's disk, a key
/// pair per party and a keyring pinning them.
struct TestNetwork {
    static let network = "kms-test-net"
    static let saltHex = "5a17" + String(repeating: "0f", count: 30)

    let directory: TemporaryDirectory
    let size: Int
    let keys: [Int64: ChainSigningKey]
    let keyring: Keyring
    var keyringPath: String { directory.path("keyring.toml") }

    init(in directory: TemporaryDirectory, parties size: Int = 13, threshold: Int = 4) throws {
        self.directory = directory
        self.size = size
        var keys: [Int64: ChainSigningKey] = [:]
        var keyringText = "network = \"\(Self.network)\"\nsalt = \"\(Self.saltHex)\"\n"
        for party in 1...size {
            try GeneratedParties.writeDirectory(
                "party\(party)", in: directory, party: party, parties: size, threshold: threshold,
                certificate: { Self.certificate(seed: UInt64($0)) })
            let key = ChainSigningKey()
            keys[Int64(party)] = key
            try directory.write("keys/party\(party).pub", key.publicKey.pemRepresentation)
            keyringText += "\n[[party]]\nparty_id = \(party)\npublic_key_file = \"keys/party\(party).pub\"\n"
        }
        try directory.write("keyring.toml", keyringText)
        self.keys = keys
        self.keyring = try Keyring.load(directory.path("keyring.toml"))
    }

    /// A PEM certificate block around deterministic bytes (only its DER is hashed, never parsed).
    static func certificate(seed: UInt64) -> String {
        let base64 = Data(randomBytes(420, seed: seed)).base64EncodedString(options: [.lineLength64Characters]
        )
        return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n"
    }

    func configPath(_ party: Int64) -> String { directory.path("party\(party)/kms-server.toml") }

    /// Rewrites a party's config with `transform` applied to its text.
    func edit(_ party: Int64, _ transform: (String) -> String) throws {
        let text = try directory.readText("party\(party)/kms-server.toml")
        try directory.write("party\(party)/kms-server.toml", transform(text))
    }

    func components(_ party: Int64) throws -> SharedComponents {
        let root = try ConfigFile.load(configPath(party)).root
        return try SharedComponents.extract(from: root, certificateBase: directory.path("party\(party)"))
    }

    /// The party's signed statement, by its own key unless `signer` says otherwise.
    func statement(
        _ party: Int64, sequence: Int64 = 1, time: Int64 = TestNetwork.now, withValues: Bool = false,
        signer: Int64? = nil
    ) throws -> Statement {
        let maker = StatementMaker(keyring: keyring, key: keys[party]!, withValues: withValues)
        var statement = try maker.make(
            components: try components(party), partyID: party, time: POSIX.utcTimestamp(seconds: time),
            sequence: sequence, chainHead: nil)
        if let signer {
            statement = try StatementSigning.signed(statement, with: keys[signer]!)
        }
        return statement
    }

    /// A fixed "now" so tests are deterministic: 2026-12-06T20:00:00Z.
    static let now: Int64 = 1_796_587_200

    func check(maximumAge: Duration = .seconds(48 * 3600)) -> NetworkCheck {
        NetworkCheck(keyring: keyring, maximumAge: maximumAge, now: Self.now)
    }

    static func input(_ statement: Statement, source: String) -> NetworkCheck.Input {
        .init(source: source, bytes: .success(Array(statement.json().utf8)))
    }
}
