import DriftCore
import Foundation
import NetworkAgreement
import TestSupport
import Testing

/// A statement states the network-shared part only: changing every per-party and secret value of
/// a party's config leaves its digests as they were, and no such value appears in it.
@Suite("statements reveal no per-party value", .temporaryDirectory)
struct PerPartyValuesTests {
    /// Tables whose keys every party must hold equally (the rest is per-party).
    static let sharedTables: Set<String> = ["[[threshold.peers]]", "[rate_limiter_conf]"]
    static let sharedThresholdKeys: Set<String> = ["threshold", "decryption_mode"]

    /// Every value outside the shared part changed (strings, integers, floats, booleans), and each
    /// peer's certificate moved to another path with the same content.
    static func changePerPartyValues(_ text: String) -> String {
        var table = ""
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("[") {
                table = line
                lines.append(line)
                continue
            }
            guard let equals = line.range(of: " = "), !line.hasPrefix("#") else {
                lines.append(line)
                continue
            }
            let key = String(line[..<equals.lowerBound])
            let value = String(line[equals.upperBound...])
            if table == "[[threshold.peers]]" && key == "tls_cert.path" {
                lines.append("tls_cert.path = \"moved/\(value.dropFirst(7))")
                continue
            }
            let shared =
                sharedTables.contains(table) || (table == "[threshold]" && sharedThresholdKeys.contains(key))
            lines.append(shared ? line : key + " = " + changed(value))
        }
        return lines.joined(separator: "\n")
    }

    static func changed(_ value: String) -> String {
        if value.hasPrefix("\"") { return "\"changed-" + value.dropFirst() }
        if value == "true" { return "false" }
        if value == "false" { return "true" }
        if value.contains(".") { return "7.25" }
        return value + "1"
    }

    @Test("every per-party and secret value changed: the same digests; a shared one changed: not")
    func digestsUnchanged() throws {
        let network = try TestNetwork(in: try TemporaryDirectory.current(), parties: 4, threshold: 1)
        let before = try network.components(1)
        let original = try network.directory.readText("party1/kms-server.toml")
        let edited = Self.changePerPartyValues(original)
        for peer in 1...4 {
            try network.directory.write(
                "party1/moved/cert_p\(peer).pem",
                try network.directory.readText("party1/certs/cert_p\(peer).pem").replacingOccurrences(
                    of: "\n", with: "\r\n"))
        }
        try network.directory.write("party1/certs/cert_p1.pem", "not read any more")
        try network.directory.write("party1/kms-server.toml", edited)
        // The edit really changed the per-party values it had to.
        for perParty in [
            "my_id = 11", "PRIV-p1", "root_key_id = \"changed-", "listen_port = 500011",
            "tracing_service_name = \"changed-", "multiplier = 7.25", "enable_sys_metrics = false",
            "cert.path = \"changed-certs/cert_p1.pem\"", "key.path = \"changed-certs/key_p1.pem\"",
        ] {
            #expect(edited.contains(perParty), "\(perParty)")
        }
        let after = try network.components(1)
        #expect(after == before)
        let keyring = network.keyring
        #expect(
            after.digests(network: keyring.network, saltHex: keyring.saltHex)
                == before.digests(network: keyring.network, saltHex: keyring.saltHex))
        // Not even with --with-values does a per-party value appear in the statement.
        let statement = try network.statement(1, withValues: true).json()
        for secret in ["PRIV-p1", "PUB-p1", "root-p1", "changed-", "my_id", "us-west-2", "key_p1", "moved/"] {
            #expect(!statement.contains(secret), "\(secret) is in the statement")
        }

        // The control: one shared value changed does change the digests.
        try network.directory.write(
            "party1/kms-server.toml",
            edited.replacingOccurrences(
                of: "port = 50001\ntls_cert.path = \"moved/cert_p2",
                with: "port = 50002\ntls_cert.path = \"moved/cert_p2"))
        let shared = try network.components(1)
        #expect(shared != before)
        #expect(shared.values["threshold.peers[party_id=2].port"] == "50002")
    }

    @Test("the demo node: its S3 credentials and every per-party value changed, the same digests")
    func demoSecrets() throws {
        let directory = try TemporaryDirectory.current()
        let demo = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("config/demo/reference/kms-server.toml"),
            encoding: .utf8)
        try directory.write("node/kms-server.toml", demo)
        for peer in 1...13 {
            let certificate = TestNetwork.certificate(seed: UInt64(peer))
            try directory.write("node/certs/cert_p\(peer).pem", certificate)
            try directory.write("node/moved/cert_p\(peer).pem", certificate)
        }
        func components() throws -> SharedComponents {
            try SharedComponents.extract(
                from: try ConfigFile.load(directory.path("node/kms-server.toml")).root,
                certificateBase: directory.path("node"))
        }
        let before = try components()
        let edited = Self.changePerPartyValues(demo)
        #expect(edited.contains("s3_endpoint = \"changed-https://kms-backup:minio-secret-1@"))
        try directory.write("node/kms-server.toml", edited)
        #expect(try components() == before)
        #expect(before.values.count > 13 * 4)
        for value in before.values.values { #expect(!value.contains("minio")) }
    }

    @Test("digests depend on the network's name and salt: without them a digest reveals nothing guessable")
    func saltedDigests() throws {
        let components = SharedComponents(values: ["threshold.threshold": "4"])
        let plain = components.digests(network: "a", saltHex: "")["threshold.threshold"]
        let salted = components.digests(network: "a", saltHex: "00ff")["threshold.threshold"]
        let otherNetwork = components.digests(network: "b", saltHex: "00ff")["threshold.threshold"]
        #expect(plain != salted)
        #expect(salted != otherNetwork)
        #expect(salted != "sha256:" + SHA256Hex.of("4"))
    }
}
