import Foundation
import TestSupport
import Testing

/// `validate` and `check --env-file` read the certificates a config names, as kms-server does at
/// start-up, and say so in a form a pipeline reads (exit status, GitHub annotations, SARIF).
@Suite("certificates and pipeline verdicts (CLI)", .temporaryDirectory)
struct CertificateCommandTests {
    /// Writes kms.toml and its certificates into this test's directory; returns the directory.
    static func network(
        config: String = TLSNetwork.config(), party1: TestCertificate? = nil, key: String? = nil
    ) throws -> URL {
        let directory = try TemporaryDirectory.current()
        try TLSNetwork.writeCertificates(in: directory.path, party1: party1, key: key)
        _ = try directory.write("kms.toml", config)
        return directory.url
    }

    /// `validate kms.toml` as an operator types it, from the config's directory.
    static func validate(_ directory: URL, _ extra: [String] = []) throws -> ProcessResult {
        try CLI.run(["validate"] + extra + ["kms.toml"], currentDirectory: directory)
    }

    @Test("a matching self-signed certificate for each peer: exit 0, nothing to say")
    func matching() throws {
        // kms-server.rs:156-166 and :178-196
        let result = try Self.validate(try Self.network())
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout == "kms.toml: 0 errors, 0 warnings\n")
    }

    @Test(
        "each certificate kms-server refuses exits 1 with its finding",
        arguments: [
            // conf/threshold.rs:163-166
            ("identity", "Certificate subject p1.kms.example does not match mpc_identity core1.kms.example"),
            // tls.rs:648
            ("not-in-san", "Bad certificate: subject CN not found in SAN"),
            // tls.rs:620
            ("no-dns-san", "No valid SAN found"),
            // tls.rs:639
            ("issuer", "Bad certificate: subject CN (or subject CN suffix) does not match issuer CN"),
            // conf/threshold.rs:138
            ("missing", "\"Failed to open TLS cert file certs/gone.pem\": No such file or directory"),
            // kms-server.rs:189
            ("key", "the private key does not belong to the certificate"),
            // tls.rs:296 and :397
            ("expired", "every handshake with party 1 fails: party 1's certificate expired on"),
        ])
    func refused(_ kind: String, _ expected: String) throws {
        var config = TLSNetwork.config()
        var party1: TestCertificate? = nil
        var key: String? = nil
        switch kind {
        case "identity": config = TLSNetwork.config(identity1: "core1.kms.example")
        case "not-in-san":
            party1 = try TestCertificates.make(
                commonName: "p1.kms.example", alternativeNames: .dns(["x.kms.example"]))
        case "no-dns-san":
            party1 = try TestCertificates.make(commonName: "p1.kms.example", alternativeNames: .emailOnly)
        case "issuer":
            party1 = try TestCertificates.make(commonName: "p1.kms.example", issuerCommonName: "ca.other")
        case "missing": config = TLSNetwork.config(certificatePath1: "certs/gone.pem")
        case "key": key = try TestCertificates.make(commonName: "p1.kms.example").keyPEM
        default:
            party1 = try TestCertificates.make(
                commonName: "p1.kms.example", validFrom: Date().addingTimeInterval(-90 * 86_400),
                validUntil: Date().addingTimeInterval(-86_400))
        }
        let result = try Self.validate(try Self.network(config: config, party1: party1, key: key))
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains(expected), "\(result.stdout)")
        #expect(result.stdout.contains(": error: "))
    }

    @Test(
        "a certificate expiring in 10 days: a warning, exit 0; --strict exits 1; --expiry-warning-days 7 is quiet"
    )
    func expiring() throws {
        // tls.rs:296 and :397 once it expires
        let soon = try TestCertificates.make(
            commonName: "p1.kms.example", validUntil: Date().addingTimeInterval(10 * 86_400 + 60))
        let directory = try Self.network(party1: soon)
        let result = try Self.validate(directory)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "warning: threshold.peers[party_id=1].tls_cert.path: party 1's certificate will expire in 10 days"
            ))
        #expect(try Self.validate(directory, ["--strict"]).status == 1)
        let narrow = try Self.validate(directory, ["--expiry-warning-days", "7"])
        #expect(narrow.stdout == "kms.toml: 0 errors, 0 warnings\n", "\(narrow.stdout)")
    }

    @Test(
        "paths as kms-server resolves them: from another directory --workdir finds them, --root maps absolute ones"
    )
    func pathResolution() throws {
        let directory = try Self.network()
        let elsewhere = directory.deletingLastPathComponent()
        let name = directory.lastPathComponent + "/kms.toml"
        let lost = try CLI.run(["validate", name], currentDirectory: elsewhere)
        #expect(lost.status == 1)
        #expect(lost.stdout.contains("Failed to open TLS cert file certs/cert_p1.pem"))
        // With --workdir, the config file and the certificates are where kms-server started there finds them.
        let found = try CLI.run(
            ["validate", "--workdir", directory.lastPathComponent, "kms.toml"], currentDirectory: elsewhere)
        #expect(found.status == 0, "\(found.stdout)\(found.stderr)")
        // A container config: /app/certs/… below --root.
        let container = TLSNetwork.config().replacingOccurrences(of: "\"certs/", with: "\"/app/certs/")
        let root = try TemporaryDirectory.current()
        try TLSNetwork.writeCertificates(in: root.path("rootfs/app"))
        _ = try root.write("container.toml", container)
        let mapped = try CLI.run(
            ["validate", "--root", "rootfs", "container.toml"], currentDirectory: root.url)
        #expect(mapped.status == 0, "\(mapped.stdout)")
        let unmapped = try CLI.run(["validate", "container.toml"], currentDirectory: root.url)
        #expect(unmapped.stdout.contains("Failed to open TLS cert file /app/certs/cert_p1.pem"))
    }

    /// `::error file=…,line=…,col=…,title=…::message` with `%`, CR, LF escaped in the message and
    /// also `:` and `,` in properties (the Actions toolkit's escapeData / escapeProperty).
    static func isWorkflowCommand(_ line: Substring) -> Bool {
        let pattern =
            #"^::(error|warning|notice) file=[^:,\r\n]+(,line=[1-9][0-9]*(,col=[1-9][0-9]*)?)?,title=[^:,\r\n]+::[^\r\n]*$"#
        guard let regex = try? Regex(pattern) else { return false }
        return line.wholeMatch(of: regex) != nil
    }

    @Test("--format github: every line is a workflow command, escaped, with the finding's line and column")
    func githubFormat() throws {
        let config =
            TLSNetwork.config(identity1: "core1.kms.example") + "\n[unknown]\nnote = \"100%, a: b\"\n"
        let directory = try Self.network(config: config)
        let result = try Self.validate(directory, ["--format", "github"])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(Self.isWorkflowCommand(line), "not a workflow command: \(line)")
        }
        let identity = try #require(lines.first { $0.contains("mpc_identity core1.kms.example") })
        let line = TLSNetwork.config().split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("tls_cert.path = \"certs/cert_p1.pem\"") }.map { $0 + 1 }
        #expect(
            identity.hasPrefix(
                "::error file=kms.toml,line=\(try #require(line)),col=17,title=threshold.peers[party_id=1].tls_cert.path::"
            ))
        // The message escapes % (and would CR/LF); properties escape : and ,.
        #expect(GitHubEscaping.property("a:b,c%\n") == "a%3Ab%2Cc%25%0A")
    }

    @Test(
        "--format sarif validates against the SARIF 2.1.0 schema, one rule per finding class",
        .enabled(if: Probe.hasPythonJSONSchema, "python3 with jsonschema (scripts/install-deps --tests)"))
    func sarifFormat() throws {
        let directory = try Self.network(
            config: TLSNetwork.config(identity1: "core1.kms.example", certificatePath1: "certs/gone.pem"))
        let result = try Self.validate(directory, ["--format", "sarif"])
        #expect(result.status == 1)
        let sarif = try TemporaryDirectory.current().write("out.sarif", result.stdout)
        let schema = TestPaths.shared.appendingPathComponent("schemas/sarif-schema-2.1.0.json").path
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); log = json.load(open(sys.argv[2]))
            jsonschema.validate(log, schema, cls=jsonschema.Draft7Validator)
            run = log["runs"][0]
            ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
            assert len(ids) == len(set(ids)), ids
            assert run["results"], "no results"
            for r in run["results"]:
                assert ids[r["ruleIndex"]] == r["ruleId"]
                region = r["locations"][0]["physicalLocation"]["region"]
                assert region["startLine"] >= 1 and region["startColumn"] >= 1
            print(" ".join(sorted(set(ids))))
            """
        let check = try runProcess("/usr/bin/env", ["python3", "-c", script, schema, sarif])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("certificate-file-unreadable"))
        #expect(check.stdout.contains("certificate-subject-not-identity") == false)  // party 1's file is gone
    }

    @Test("the example workflow's validate step annotates config/<env>/ files by their repository paths")
    func exampleWorkflowStep() throws {
        let example = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("examples/kms-config-pull-request.yml"),
            encoding: .utf8)
        #expect(example.contains("--workdir config/${{ matrix.environment }}"))
        #expect(example.contains("--format github"))
        let repository = try TemporaryDirectory.current()
        let environment = repository.path("config/production")
        try TLSNetwork.writeCertificates(in: environment)
        _ = try repository.write(
            "config/production/kms-server.toml", TLSNetwork.config(identity1: "core1.kms.example"))
        let result = try CLI.run(
            [
                "validate", "--env", "production", "--workdir", "config/production", "--format", "github",
                "kms-server.toml",
            ],
            currentDirectory: repository.url)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(
            lines.contains {
                $0.contains(
                    "Certificate subject p1.kms.example does not match mpc_identity core1.kms.example")
            })
        for line in lines {
            #expect(Self.isWorkflowCommand(line), "not a workflow command: \(line)")
            #expect(line.contains(" file=config/production/kms-server.toml,"), "\(line)")
        }
    }

    @Test("the README's certificate example is what validate prints")
    func readmeExample() throws {
        let directory = try TemporaryDirectory.current()
        let soon = try TestCertificates.make(
            commonName: "p1.kms.example", validUntil: Date().addingTimeInterval(12 * 86_400 + 3_600))
        try TLSNetwork.writeCertificates(in: directory.path, party1: soon, keyMode: 0o644)
        let other = try TestCertificates.make(
            commonName: "p3.kms.example", alternativeNames: .dns(["kms3.example"]))
        _ = try directory.write("certs/cert_p3.pem", other.certificatePEM)
        try FileManager.default.removeItem(atPath: directory.path("certs/cert_p4.pem"))
        let config = TLSNetwork.config().replacingOccurrences(
            of: "mpc_identity = \"p2.kms.example\"", with: "mpc_identity = \"core2.kms.example\"")
        _ = try directory.write("kms.toml", config)
        let result = try CLI.run(["validate", "kms.toml"], currentDirectory: directory.url)
        #expect(result.status == 1)
        print(result.stdout)
        ValidationCommandTests.expectExample(
            try ValidationCommandTests.readmeExample(after: "kms-drift validate kms.toml"), in: result.stdout)
    }

    @Test("check --fail-on: each level decides the exit status")
    func failOn() throws {
        let directory = try TemporaryDirectory.current()
        let reference = try directory.write(
            "ref.toml",
            "[telemetry]\ntracing_service_name = \"a\"\n[service]\nlisten_port = 1\n[threshold]\nthreshold = 1\n"
        )
        let infoOnly = try directory.write(
            "info.toml",
            "[telemetry]\ntracing_service_name = \"b\"\n[service]\nlisten_port = 1\n[threshold]\nthreshold = 1\n"
        )
        let warning = try directory.write(
            "warning.toml",
            "[telemetry]\ntracing_service_name = \"a\"\n[service]\nlisten_port = 2\n[threshold]\nthreshold = 1\n"
        )
        let critical = try directory.write(
            "critical.toml",
            "[telemetry]\ntracing_service_name = \"a\"\n[service]\nlisten_port = 1\n[threshold]\nthreshold = 2\n"
        )
        func status(_ current: String, _ level: String?) throws -> Int32 {
            try CLI.run(["check", reference, current] + (level.map { ["--fail-on", $0] } ?? [])).status
        }
        #expect(try status(infoOnly, nil) == 1)  // default: any difference
        #expect(try status(infoOnly, "info") == 1)
        #expect(try status(infoOnly, "warning") == 0)
        #expect(try status(warning, "warning") == 1)
        #expect(try status(warning, "critical") == 0)
        #expect(try status(critical, "critical") == 1)
        #expect(try status(reference, "info") == 0)
        #expect(try CLI.run(["check", reference, infoOnly, "--fail-on", "loud"]).status == 2)
    }

    @Test("check --env-file reads the party's certificates too; --format github annotates drift and findings")
    func checkWithEnvironment() throws {
        let directory = try Self.network(config: TLSNetwork.config(certificatePath1: "certs/gone.pem"))
        _ = try TemporaryDirectory.current().write("party.env", "KMS_CORE__SERVICE__TIMEOUT_SECS=60\n")
        let result = try CLI.run(
            ["check", "--format", "github", "--env-file", "party.env", "kms.toml", "kms.toml"],
            currentDirectory: directory)
        #expect(result.status == 1)
        #expect(result.stdout.contains("::warning file=kms.toml"))
        #expect(result.stdout.contains("service.timeout_secs::warning drift: 360 → 60"))
        #expect(result.stdout.contains("::error file=kms.toml,line="))
        #expect(result.stdout.contains("Failed to open TLS cert file certs/gone.pem"))
        for line in result.stdout.split(separator: "\n") {
            #expect(Self.isWorkflowCommand(line), "not a workflow command: \(line)")
        }
    }
}

/// The property escaping the test checks, spelled out independently of kms-drift's code.
enum GitHubEscaping {
    static func property(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A").replacingOccurrences(of: ":", with: "%3A")
            .replacingOccurrences(of: ",", with: "%2C")
    }
}
