import DriftCore
import Foundation
import KMSValidation
import TOML
import Testing

@testable import EffectiveConfig

@Suite("Templates and per-party environments")
struct TemplateAndEnvironmentTests {
    /// The corpus's party 1 config turned into a test-suite template: placeholders only the
    /// environment makes valid.
    static func template() throws -> String {
        try corpusParty1()
            .replacingOccurrences(of: "my_id = 1", with: "my_id = 0")
            .replacingOccurrences(of: "prefix = \"PUB-p1\"", with: "prefix = \"UNSET-PUB\"")
    }

    @Test func templateIsInvalidAloneAndValidWithThePartysEnvFile() throws {
        try withTemporaryRoot { root in
            let template = try write(try Self.template(), to: root + "/kms-core-threshold.toml")
            let alone = KMSConfigValidator().validate(try ConfigFile.load(template))
            #expect(
                alone.findings.contains {
                    $0.level == .error && $0.path == KeyPath(keys: "threshold", "my_id")
                })

            let env = try write(
                "KMS_CORE__THRESHOLD__MY_ID=2\nKMS_CORE__PUBLIC_VAULT__STORAGE__FILE__PREFIX=PUB-p2\n",
                to: root + "/party2.env")
            let sources = EffectiveSources(
                configFile: template, envFiles: [env], searchesLayersByDefault: false)
            let configuration = try sources.builder().build()
            let effective = try configuration.configFile(named: template)
            #expect(effective.root.value(at: ["threshold", "my_id"])?.integerValue == 2)
            #expect(
                effective.root.value(at: ["public_vault", "storage", "file", "prefix"])?.stringValue
                    == "PUB-p2")
            let validation = FindingOrigins.remap(
                KMSConfigValidator().validate(effective), to: configuration, fallbackFile: template)
            #expect(validation.findings.errorCount == 0)
            #expect(
                configuration.origin(at: KeyPath(keys: "threshold", "my_id"))
                    == .environment(name: "KMS_CORE__THRESHOLD__MY_ID"))
        }
    }

    /// A finding on a value the environment set names the variable.
    @Test func findingOnAnEnvironmentValueNamesTheVariable() throws {
        try withTemporaryRoot { root in
            let template = try write(try Self.template(), to: root + "/t.toml")
            let env = try write("KMS_CORE__THRESHOLD__MY_ID=0\n", to: root + "/bad.env")
            let configuration = try EffectiveSources(
                configFile: template, envFiles: [env], searchesLayersByDefault: false
            )
            .builder().build()
            let validation = FindingOrigins.remap(
                KMSConfigValidator().validate(try configuration.configFile()), to: configuration,
                fallbackFile: template)
            let finding = try #require(
                validation.findings.first { $0.path == KeyPath(keys: "threshold", "my_id") })
            #expect(finding.message.contains("set by env `KMS_CORE__THRESHOLD__MY_ID`"))
        }
    }

    /// The Helm way: `${VAR}` references rendered with envsubst from the env file.
    @Test func helmTemplateIsRenderedAndOriginsKeepTheTemplatesLines() throws {
        try withTemporaryRoot { root in
            let text = try corpusParty1()
                .replacingOccurrences(of: "my_id = 1", with: "my_id = ${KMS_CORE__THRESHOLD__MY_ID}")
                .replacingOccurrences(of: "[service]", with: "[service]\nca_note = \"\"\"\n${CA_PEM}\n\"\"\"")
            let template = try write(text, to: root + "/kms-server.toml")
            let env = try write(
                "KMS_CORE__THRESHOLD__MY_ID=3\nCA_PEM=\"line1\nline2\nline3\"\n", to: root + "/p3.env")
            let configuration = try EffectiveSources(
                configFile: template, envFiles: [env], searchesLayersByDefault: false
            )
            .builder().build()
            let myIDLine =
                text.split(separator: "\n", omittingEmptySubsequences: false)
                .firstIndex { $0.hasPrefix("my_id = ") }! + 1
            // The env value wins over the rendered one, but the timeout's line is the template's.
            #expect(
                configuration.origin(at: KeyPath(keys: "threshold", "my_id"))
                    == .environment(name: "KMS_CORE__THRESHOLD__MY_ID"))
            let timeoutLine =
                text.split(separator: "\n", omittingEmptySubsequences: false)
                .firstIndex { $0.hasPrefix("timeout_secs") }! + 1
            #expect(
                configuration.origin(at: KeyPath(keys: "service", "timeout_secs"))
                    == .file(path: template, line: timeoutLine))
            #expect(myIDLine > 0)

            let missing = try write("CA_PEM=x\n", to: root + "/incomplete.env")
            #expect {
                try EffectiveSources(
                    configFile: template, envFiles: [missing], searchesLayersByDefault: false
                )
                .builder().build()
            } throws: { error in
                "\(error)" == "\(template):\(myIDLine): variable KMS_CORE__THRESHOLD__MY_ID is not set; "
                    + "envsubst would write an empty string: set KMS_CORE__THRESHOLD__MY_ID in an --env-file or the environment"
            }
        }
    }

    @Test func renderSubstitutesLikeEnvsubstAndRefusesUnsetVariables() throws {
        let environment = EnvironmentVariables([("A", "1"), ("B_2", "two")])
        #expect(
            try Envsubst.render("x=$A y=${B_2} z=$ w=${A:-d} $1", file: "t", environment: environment)
                == "x=1 y=two z=$ w=${A:-d} $1")
        #expect(throws: EffectiveConfigError.self) {
            try Envsubst.render("a\nb = ${NOPE}\n", file: "t", environment: environment)
        }
        #expect(
            Envsubst.references(in: "a\nb = ${NOPE}\n$X") == [
                .init(name: "NOPE", line: 2), .init(name: "X", line: 3),
            ])
    }

    @Test func environmentValuesAreConvertedAsSerdeWouldOrRefusedByName() throws {
        func build(_ pairs: [(String, String)]) throws -> EffectiveConfiguration {
            try withTemporaryRoot { root in
                try write("[service]\nlisten_port = 1\n", to: root + "/n.toml")
                return try EffectiveConfigurationBuilder(
                    discovery: LayerDiscovery(
                        workingDirectory: root, configFile: "n.toml", searchesLayers: false),
                    environment: EnvironmentVariables(pairs)
                ).build()
            }
        }
        let converted = try build([
            ("kms_core__telemetry__enable_sys_metrics", "ON"), ("KMS_CORE__SERVICE__LISTEN_PORT", "+8080"),
            ("KMS_CORE__THRESHOLD__CORE_TO_CORE_NET__MULTIPLIER", "1e1"),
            ("KMS_CORE__TELEMETRY__TRACING_SERVICE_NAME", "42"), ("KMS_CORE__SOMETHING_NEW", "x"),
        ])
        let root = try converted.configFile().root
        #expect(
            root.value(at: ["telemetry", "enable_sys_metrics"]).map { "\($0)" }
                == "\(TOMLValue.boolean(true))")
        #expect(root.value(at: ["service", "listen_port"])?.integerValue == 8080)
        #expect(
            root.value(at: ["threshold", "core_to_core_net", "multiplier"]).map { "\($0)" }
                == "\(TOMLValue.float(10))")
        #expect(root.value(at: ["telemetry", "tracing_service_name"])?.stringValue == "42")
        #expect(root["something_new"]?.stringValue == "x")
        #expect(converted.notes.contains { $0.contains("KMS_CORE__SOMETHING_NEW") })

        let refusals: [(String, String, String)] = [
            ("KMS_CORE__SERVICE__LISTEN_PORT", "70000", "\"70000\" does not fit a u16 (0...65535)"),
            ("KMS_CORE__SERVICE__LISTEN_PORT", "-1", "\"-1\" does not fit a u16"),
            ("KMS_CORE__SERVICE__LISTEN_PORT", "1_000", "\"1_000\" cannot be read as an integer"),
            ("KMS_CORE__TELEMETRY__ENABLE_SYS_METRICS", "maybe", "a boolean"),
            ("KMS_CORE__THRESHOLD__PEERS", "a,b", "cannot take from the environment"),
            ("KMS_CORE__SERVICE__LISTEN_PORT__X", "1", "is a single value"),
        ]
        for (name, value, expected) in refusals {
            #expect {
                try build([(name, value)])
            } throws: { error in
                let text = "\(error)"
                return text.hasPrefix("environment variable \(name)=\(value) sets") && text.contains(expected)
            }
        }
    }

    @Test func envFilesFollowComposeRules() throws {
        let parsed = try EnvFile.parse(
            """
            # comment
            A=plain value # comment
            export B='single $A # kept'
            C="double ${A}\\n\\$A"
            D=
            E="multi
            line"
            F=$A-x
            """, path: "x.env")
        #expect(parsed.pairs.map(\.name) == ["A", "B", "C", "D", "E", "F"])
        #expect(parsed["A"] == "plain value")
        #expect(parsed["B"] == "single $A # kept")
        #expect(parsed["C"] == "double plain value\n$A")
        #expect(parsed["D"] == "")
        #expect(parsed["E"] == "multi\nline")
        #expect(parsed["F"] == "plain value-x")
        #expect {
            try EnvFile.parse("A=1\nJUST_A_NAME\n", path: "x.env")
        } throws: { error in
            "\(error)".hasPrefix("x.env:2: `JUST_A_NAME` has no `=`")
        }
    }

    @Test func environmentKeysMapAsConfigRsMapsThem() {
        #expect(EnvironmentOverrides.keyPath("threshold__my_id") == ["threshold", "my_id"])
        #expect(EnvironmentOverrides.keyPath("a___b") == ["a", "_b"])
        #expect(EnvironmentOverrides.keyPath("a__b.c") == ["a", "b", "c"])
    }
}
