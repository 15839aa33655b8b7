import DriftCore
import Foundation
import Testing

@testable import EffectiveConfig

@Suite("Effective configuration from real layouts")
struct LayeredBuildTests {
    /// The compose layout: a mounted config/ with default.toml, `--config-file config/compose_1.toml`
    /// and overrides from the env file. Every leaf's origin is asserted.
    @Test func composeLayoutMergesLayersAndEnvironmentWithOrigins() throws {
        try withTemporaryRoot { root in
            try write(
                """
                [service]
                listen_address = "0.0.0.0"
                listen_port = 50100
                timeout_secs = 360

                [threshold]
                threshold = 1
                dec_capacity = 10000
                peers = [{ party_id = 9, address = "old", port = 1 }]
                """, to: root + "/config/default.toml")
            try write(
                """
                [service]
                timeout_secs = 60
                grpc_max_message_size = 104857600

                [threshold]
                my_id = 0

                [[threshold.peers]]
                party_id = 1
                address = "p1"
                port = 50001

                [[threshold.peers]]
                party_id = 2
                address = "p2"
                port = 50001
                """, to: root + "/config/compose_1.toml")
            let env = try write(
                """
                # party 1
                KMS_CORE__THRESHOLD__MY_ID=1
                export KMS_CORE__SERVICE__LISTEN_ADDRESS="127.0.0.1"
                KMS_CORE__THRESHOLD__DEC_CAPACITY=20000 # more room
                UNRELATED=1
                """, to: root + "/party1.env")
            let configuration = try sources(in: root, configFile: "config/compose_1.toml", envFiles: [env])
                .builder().build()
            let defaults = root + "/config/default.toml"
            let compose = root + "/config/compose_1.toml"
            #expect(
                configuration.originsByPath == [
                    "service.listen_address": "env KMS_CORE__SERVICE__LISTEN_ADDRESS",
                    "service.listen_port": "\(defaults):3",
                    "service.timeout_secs": "\(compose):2",
                    "service.grpc_max_message_size": "\(compose):3",
                    "threshold.threshold": "\(defaults):7",
                    "threshold.dec_capacity": "env KMS_CORE__THRESHOLD__DEC_CAPACITY",
                    "threshold.my_id": "env KMS_CORE__THRESHOLD__MY_ID",
                    "threshold.peers[0].party_id": "\(compose):9",
                    "threshold.peers[0].address": "\(compose):10",
                    "threshold.peers[0].port": "\(compose):11",
                    "threshold.peers[1].party_id": "\(compose):14",
                    "threshold.peers[1].address": "\(compose):15",
                    "threshold.peers[1].port": "\(compose):16",
                ])
            let file = try configuration.configFile()
            // Environment strings converted to the schema's types; arrays replaced whole.
            #expect(file.root.value(at: ["threshold", "my_id"])?.integerValue == 1)
            #expect(file.root.value(at: ["threshold", "dec_capacity"])?.integerValue == 20000)
            #expect(file.root.value(at: ["service", "listen_address"])?.stringValue == "127.0.0.1")
            #expect(file.root.value(at: ["threshold", "peers"])?.arrayValue?.count == 2)
            #expect(configuration.layers.map(\.path) == [defaults, compose])
            #expect(configuration.environmentVariables.count == 3)
            // --show-origin prints the origin beside each leaf.
            let shown = configuration.toml(showOrigin: true)
            #expect(shown.contains("my_id = 1  # env KMS_CORE__THRESHOLD__MY_ID\n"))
            #expect(shown.contains("timeout_secs = 60  # \(compose):2\n"))
        }
    }

    /// Layers in kms-server's order: default, kms_core, kms_core-<RUN_MODE>, /etc/config, --config-file.
    @Test func fiveSlotsMergeInOrderAndTheModeLayerFollowsRunMode() throws {
        try withTemporaryRoot { root in
            try write("a = 1\nb = 1\nc = 1\nd = 1\ne = 1\n", to: root + "/config/default.toml")
            try write("b = 2\nc = 2\nd = 2\ne = 2\n", to: root + "/config/kms_core.toml")
            try write("{\"c\": 3, \"d\": 3, \"e\": 3}", to: root + "/config/kms_core-prod.json")
            try write("c = 99\n", to: root + "/config/kms_core-local.toml")
            try write("d = 4\ne = 4\n", to: root + "/etc-config/kms_core.toml")
            try write("e = 5\n", to: root + "/node.toml")
            let env = try write("RUN_MODE=prod\n", to: root + "/mode.env")
            let configuration = try sources(in: root, configFile: "node.toml", envFiles: [env]).builder()
                .build()
            let file = try configuration.configFile()
            #expect(["a", "b", "c", "d", "e"].map { file.root[$0]?.integerValue } == [1, 2, 3, 4, 5])
            #expect(configuration.originsByPath["c"] == root + "/config/kms_core-prod.json:1")
            #expect(configuration.originsByPath["d"] == root + "/etc-config/kms_core.toml:1")
            // Without RUN_MODE (or with one kms-server does not know) the mode is local.
            let local = try sources(in: root, configFile: "node.toml", runMode: "production").builder()
                .build()
            #expect(try local.configFile().root["c"]?.integerValue == 99)
            #expect(
                local.notes.contains { $0.contains("RUN_MODE=production is not a mode kms-server knows") })
        }
    }

    /// A shadow `/etc/config/kms_core.toml` changes what runs although the config file did not change.
    @Test func shadowEtcConfigLayerOverridesTheConfigFileLayerBelowIt() throws {
        try withTemporaryRoot { root in
            try write(try corpusParty1(), to: root + "/config/default_1.toml")
            let before = try sources(in: root).builder().build()
            #expect(before.layers.count == 1)
            try write(
                "[public_vault.storage.file]\npath = \"/tmp/elsewhere\"\n",
                to: root + "/etc-config/kms_core.toml")
            let after = try sources(in: root).builder().build()
            let path = KeyPath(keys: "public_vault", "storage", "file", "path")
            // The --config-file comes after /etc/config, so the file's own path still wins…
            #expect(try after.configFile().root.value(at: path.keyNames)?.stringValue == "./keys")
            // …but a key the config file does not set comes from the shadow layer.
            try write("[telemetry]\nrefresh_interval_ms = 1234\n", to: root + "/etc-config/kms_core.toml")
            let shadowed = try sources(in: root).builder().build()
            #expect(
                shadowed.origin(at: KeyPath(keys: "telemetry", "refresh_interval_ms"))
                    == .file(path: root + "/etc-config/kms_core.toml", line: 2))
            #expect(
                LayerDiscovery(etcConfigDirectory: root + "/etc-config").candidatePaths.contains(
                    root + "/etc-config/kms_core.toml"))
        }
    }

    @Test func otherFormatsAreNotedNeverSilentlySkipped() throws {
        try withTemporaryRoot { root in
            try write("a: 1\n", to: root + "/config/default.yaml")
            try write("b = 1\n", to: root + "/config/kms_core.toml")
            try write("{\"b\": 2}", to: root + "/config/kms_core.json")
            try write("c = 1\n", to: root + "/node.toml")
            let configuration = try sources(in: root, configFile: "node.toml").builder().build()
            #expect(configuration.notes.contains { $0.contains("default.yaml is not read") })
            #expect(configuration.notes.contains { $0.contains("chosen anew at each start") })
            #expect(try configuration.configFile().root["b"]?.integerValue == 1)
        }
    }

    @Test func badLayersAreErrorsWithFileLineAndColumn() throws {
        try withTemporaryRoot { root in
            try write("a = 1\na = 2\n", to: root + "/config/default.toml")
            try write("c = 1\n", to: root + "/node.toml")
            #expect {
                try sources(in: root, configFile: "node.toml").builder().build()
            } throws: { error in
                "\(error)".hasPrefix(root + "/config/default.toml:2:1: duplicate key")
            }
            try write("{\"a\": 1,\n  \"b\": }", to: root + "/config/default.json")
            try FileManager.default.removeItem(atPath: root + "/config/default.toml")
            #expect {
                try sources(in: root, configFile: "node.toml").builder().build()
            } throws: { error in
                "\(error)".hasPrefix(root + "/config/default.json:2:8:")
            }
            #expect {
                try sources(in: root, configFile: "missing.toml").builder().build()
            } throws: { error in
                "\(error)".contains("missing.toml does not exist")
            }
        }
    }
}
