import DriftCore
import Testing

@testable import KMSValidation

/// The guide's per-environment rules on parsed values.
@Suite("validate: environment policy")
struct EnvironmentPolicyTests {
    typealias F = ValidationFixtures

    static let tls = "[threshold.tls.manual]\ncert.path = \"c.pem\"\nkey.path = \"k.pem\"\n"
    static let telemetry = "[telemetry]\ntracing_service_name = \"kms-production-party1\"\n"

    @Test("production: private vault on local files is an error")
    func productionFileStorage() throws {
        let text = F.minimal + Self.telemetry + "[private_vault.storage.file]\npath = \"./keys\"\n"
        let finding = try #require(
            try F.validate(text, environment: .production).at("private_vault.storage.file").first)
        #expect(finding.level == .error)
        #expect(finding.location.line == F.line(of: "[private_vault.storage.file]", in: text))
    }

    @Test("production: no TLS between parties is an error at [threshold]")
    func productionTLS() throws {
        let text = F.minimal + Self.telemetry
        let finding = try #require(try F.validate(text, environment: .production).at("threshold.tls").first)
        #expect(finding.location.line == F.line(of: "[threshold]", in: text))
    }

    @Test("production: mock_enclave is an error")
    func productionMockEnclave() throws {
        let text = "mock_enclave = true\n" + F.minimal + Self.telemetry
        let finding = try #require(try F.validate(text, environment: .production).at("mock_enclave").first)
        #expect(finding.location.line == 1)
    }

    @Test("production: the tracing service name must name the environment")
    func productionServiceName() throws {
        let text = F.minimal + "[telemetry]\ntracing_service_name = \"kms-party1\"\n"
        let finding = try #require(
            try F.validate(text, environment: .production).at("telemetry.tracing_service_name").first)
        #expect(finding.level == .warning)
        #expect(finding.location.line == F.line(of: "kms-party1", in: text))
        #expect(
            try F.validate(text.replacing("kms-party1", with: "kms-prod-party1"), environment: .production)
                .at("telemetry.tracing_service_name").isEmpty)
    }

    @Test("staging: a reference to a production resource is an error")
    func stagingProduction() throws {
        let text =
            "[aws]\nregion = \"r\"\n" + F.minimal
            + "[public_vault.storage.s3]\nbucket = \"kms-prod-public\"\n"
        let findings = try F.validate(text, environment: .staging)
        let finding = try #require(findings.at("public_vault.storage.s3.bucket").first)
        #expect(finding.location.line == F.line(of: "kms-prod-public", in: text))
        #expect(
            try F.validate(
                text.replacing("kms-prod-public", with: "kms-staging-public"), environment: .staging
            ).isEmpty)
    }

    @Test("staging: a finding inside a peer names the peer by party_id, as every report does")
    func stagingPeersByIdentity() throws {
        let text =
            F.minimal
            + "[[threshold.peers]]\nparty_id = 13\naddress = \"party13.kms-prod.example.org\"\nport = 50001\n"
        let findings = try F.validate(text, environment: .staging)
        #expect(!findings.at("threshold.peers[party_id=13].address").isEmpty, "\(findings)")
        #expect(
            findings.allSatisfy {
                !$0.path.description.contains("peers[") || $0.path.description.contains("party_id=")
            })
    }

    @Test(
        "development: external tracing endpoints are a warning",
        arguments: [
            ("http://jaeger.example.com:4317", true), ("http://localhost:4317", false),
            ("http://127.0.0.1:4317", false),
            ("http://otel-collector.observability.svc.cluster.local:4317", false),
            ("http://jaeger:4317", false),
        ])
    func developmentTracing(endpoint: String, flagged: Bool) throws {
        let text = F.minimal + "[telemetry]\ntracing_endpoint = \"\(endpoint)\"\n"
        let findings = try F.validate(text, environment: .development).at("telemetry.tracing_endpoint")
        #expect(findings.isEmpty == !flagged)
        if flagged { #expect(findings.first?.location.line == F.line(of: "tracing_endpoint", in: text)) }
    }

    @Test("production: the generated server-style config passes")
    func generatedProductionPasses() throws {
        let findings = try F.validate(PartyWorkload.configs[0], environment: .production)
        #expect(findings.isEmpty, "\(findings.map(ValidationReportRenderer.line))")
    }
}
