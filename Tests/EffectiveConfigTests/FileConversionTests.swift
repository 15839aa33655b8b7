import DriftCore
import Foundation
import Testing

@testable import EffectiveConfig

/// File values reach kms-server through config-rs's conversions (config-rs 0.15 `value.rs`), as
/// environment values do; and an environment key with an array subscript changes one element.
@Suite("effective: config-rs conversions of file values, indexed environment keys")
struct FileConversionTests {
    static let config = """
        [service]
        listen_address = "0.0.0.0"
        listen_port = "50001"
        timeout_secs = 2.6

        [aws]
        region = 42

        [telemetry]
        tracing_service_name = "kms"
        enable_sys_metrics = "yes"

        [threshold]
        threshold = 1
        my_id = 1

        [[threshold.peers]]
        party_id = 1
        address = "p1"
        port = 50001

        [[threshold.peers]]
        party_id = 2
        address = "p2"
        port = 50001

        """

    static func build(_ root: String, environment: [(String, String)] = []) throws -> EffectiveConfiguration {
        let path = try write(config, to: root + "/kms.toml")
        return try EffectiveConfigurationBuilder(
            discovery: LayerDiscovery(workingDirectory: root, configFile: path, searchesLayers: false),
            environment: EnvironmentVariables(environment)
        ).build()
    }

    @Test("2.6 → 3, \"50001\" → 50001, 42 → \"42\", \"yes\" → true, each named by --show-origin")
    func fileValuesConverted() throws {
        try withTemporaryRoot { root in
            let configuration = try Self.build(root)
            let file = try configuration.configFile()
            // value.rs into_int rounds a float; into_uint parses a string; into_string prints a number;
            // into_bool reads "yes".
            #expect(file.root.value(at: ["service", "timeout_secs"])?.integerValue == 3)
            #expect(file.root.value(at: ["service", "listen_port"])?.integerValue == 50001)
            #expect(file.root.value(at: ["aws", "region"])?.stringValue == "42")
            guard case .boolean(true)? = file.root.value(at: ["telemetry", "enable_sys_metrics"]) else {
                Issue.record("enable_sys_metrics is not true")
                return
            }
            let shown = configuration.toml(showOrigin: true)
            #expect(
                shown.contains(
                    "timeout_secs = 3  # \(root)/kms.toml:4 (2.6 → 3, rounded as config-rs does)\n"))
            #expect(
                shown.contains(
                    "listen_port = 50001  # \(root)/kms.toml:3 (\"50001\" → 50001, read as an integer"))
            #expect(shown.contains("region = \"42\"  # \(root)/kms.toml:7 (42 → \"42\", read as a string"))
            #expect(
                shown.contains(
                    "enable_sys_metrics = true  # \(root)/kms.toml:11 (\"yes\" → true, read as a boolean"))
            // A value already of its type is not annotated.
            #expect(shown.contains("my_id = 1  # \(root)/kms.toml:15\n"))
            // Without --show-origin, plain values.
            #expect(configuration.toml().contains("timeout_secs = 3\n"))
        }
    }

    @Test("KMS_CORE__THRESHOLD__PEERS[1]__ADDRESS changes exactly threshold.peers[1].address")
    func indexedEnvironmentKey() throws {
        // config-rs source.rs set_value → path::Expression: `peers[1]` is the 0-based element 1.
        try withTemporaryRoot { root in
            let plain = try Self.build(root).configFile()
            let changed = try Self.build(
                root, environment: [("KMS_CORE__THRESHOLD__PEERS[1]__ADDRESS", "p2.moved")])
            let differences = ConfigDiff().differences(from: plain.root, to: try changed.configFile().root)
            #expect(differences.count == 1)
            #expect(differences.first?.path.description == "threshold.peers[party_id=2].address")
            #expect(differences.first?.newValue?.stringValue == "p2.moved")
            #expect(
                changed.origin(
                    at: KeyPath([.key("threshold"), .key("peers"), .position(1), .key("address")]))?
                    .description == "env KMS_CORE__THRESHOLD__PEERS[1]__ADDRESS")
            // [-1] is the last element; a position past the end is an error naming the variable.
            let last = try Self.build(root, environment: [("KMS_CORE__THRESHOLD__PEERS[-1]__PORT", "7")])
            let peers = try #require(
                try last.configFile().root.value(at: ["threshold", "peers"])?.arrayValue)
            #expect(peers[1].tableValue?["port"]?.integerValue == 7)
            #expect(peers[0].tableValue?["port"]?.integerValue == 50001)
            #expect(throws: EffectiveConfigError.self) {
                try Self.build(root, environment: [("KMS_CORE__THRESHOLD__PEERS[2]__ADDRESS", "x")])
            }
        }
    }
}
