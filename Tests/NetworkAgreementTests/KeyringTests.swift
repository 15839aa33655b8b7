import NetworkAgreement
import SigningKeys
import SnapshotStore
import TestSupport
import Testing

@Suite("the keyring", .temporaryDirectory)
struct KeyringTests {
    @Test("inline PEM keys, a salt, CRLF lines")
    func inlineKeys() throws {
        let directory = try TemporaryDirectory.current()
        let one = ChainSigningKey()
        let two = ChainSigningKey()
        let text = """
            network = "net"\r
            salt = "00AAff"\r
            [[party]]\r
            party_id = 1\r
            public_key = \"\"\"
            \(one.publicKey.pemRepresentation)\"\"\"\r
            [[party]]\r
            party_id = 2\r
            public_key = \"\"\"
            \(two.publicKey.pemRepresentation)\"\"\"\r

            """
        try directory.write("ring.toml", text)
        let keyring = try Keyring.load(directory.path("ring.toml"))
        #expect(keyring.network == "net")
        #expect(keyring.saltHex == "00aaff")
        #expect(keyring.keys[1] == one.publicKey)
        #expect(keyring.party(of: two.publicKey) == 2)
    }

    @Test(
        "bad keyrings are refused with file:line:column and a reason",
        arguments: [
            ("salt = \"x\"\n", "missing key `network`"),
            ("network = \"n\"\n", "no [[party]] entries"),
            ("network = \"n\"\nsalt = \"xyz\"\n", "`salt` must be hex digits"),
            ("network = \"n\"\nnetwrk = 1\n", "unknown key `netwrk`"),
            ("network = \"n\"\n[[party]]\nparty_id = 1\n", "neither public_key nor public_key_file"),
            (
                "network = \"n\"\n[[party]]\nparty_id = 1\npublic_key_file = \"nope.pub\"\n",
                "cannot read the key"
            ),
            ("network = \"n\"\n[[party]]\nparty_id = 1\npublic_key = \"x\"\n", "no PEM block"),
            ("network = [\n", "invalid TOML"),
        ])
    func refused(text: String, reason: String) throws {
        let directory = try TemporaryDirectory.current()
        try directory.write("ring.toml", text)
        #expect {
            _ = try Keyring.load(directory.path("ring.toml"))
        } throws: { error in
            let message = "\(error)"
            return message.contains(reason) && message.hasPrefix(directory.path("ring.toml") + ":")
        }
    }

    @Test("two parties with one key are refused: they could sign for each other")
    func sharedKey() throws {
        let directory = try TemporaryDirectory.current()
        let key = ChainSigningKey()
        try directory.write("k.pub", key.publicKey.pemRepresentation)
        try directory.write(
            "ring.toml",
            "network = \"n\"\n[[party]]\nparty_id = 1\npublic_key_file = \"k.pub\"\n[[party]]\nparty_id = 2\npublic_key_file = \"k.pub\"\n"
        )
        #expect(throws: NetworkAgreementError.self) { _ = try Keyring.load(directory.path("ring.toml")) }
    }
}
