import DriftConfig
import TOML
import TestSupport
import Testing

/// `[network]` in kms-drift.toml: paths resolved against the file, URLs kept, mistakes refused
/// with file:line:column.
@Suite("[network] settings")
struct NetworkSettingsTests {
    static func parse(_ text: String) throws -> DriftConfiguration {
        let root = try parseTOML("[watch]\ndirectory = \"/etc/kms\"\n" + text, file: "c.toml")
        return try DriftConfiguration.parse(root, file: "/etc/kms-drift/c.toml")
    }

    @Test("relative paths are relative to the configuration file; URLs stay as written")
    func resolved() throws {
        let configuration = try Self.parse(
            """
            [network]
            keyring = "keyring.toml"
            key = "party.key"
            publish = "out/party1.json"
            statements = ["in", "https://party2.example/statement.json"]
            kms_config = "kms-server.toml"
            max_age_seconds = 3600
            """)
        let network = try #require(configuration.network)
        #expect(network.keyring == "/etc/kms-drift/keyring.toml")
        #expect(network.key == "/etc/kms-drift/party.key")
        #expect(network.publish == "/etc/kms-drift/out/party1.json")
        #expect(network.statements == ["/etc/kms-drift/in", "https://party2.example/statement.json"])
        #expect(network.maximumAge == .seconds(3600))
        #expect(network.publishEvery == .seconds(86_400))
        #expect(try Self.parse("").network == nil)
    }

    @Test(
        "mistakes are refused where they are",
        arguments: [
            (
                "[network]\npublish = \"p.json\"\nkey = \"k\"\nkms_config = \"k.toml\"\n",
                "missing key `network.keyring`"
            ),
            ("[network]\nkeyring = \"k\"\nkms_config = \"k.toml\"\n", "without publish"),
            ("[network]\nkeyring = \"k\"\nstatements = [\"s\"]\n", "kms_config"),
            (
                "[network]\nkeyring = \"k\"\npublish = \"p\"\nkms_config = \"k.toml\"\n",
                "a statement is signed"
            ),
            ("[network]\nkeyring = \"k\"\nstatments = [\"s\"]\n", "statements"),
            (
                "[network]\nkeyring = \"k\"\nstatements = [\"s\"]\nkms_config = \"k\"\nmax_age_seconds = 1\n",
                "outside"
            ),
        ])
    func refused(text: String, reason: String) throws {
        #expect {
            _ = try Self.parse(text)
        } throws: { error in
            "\(error)".contains(reason) && "\(error)".hasPrefix("/etc/kms-drift/c.toml:")
        }
    }
}
