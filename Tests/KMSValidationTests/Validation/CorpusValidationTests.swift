import DriftCore
import Foundation
import TestSupport
import Testing

@testable import KMSValidation

/// The real configs of zama-ai/kms must pass; other tools' configs must be recognised, not flagged.
@Suite("validate: the real KMS corpus")
struct CorpusValidationTests {
    static let corpus = TestPaths.shared.appendingPathComponent("corpus/kms")

    static func files(_ kind: ConfigKind) -> [String] {
        Fixtures.corpusTOMLFiles.filter { name in
            let path = corpus.appendingPathComponent(name).path
            guard let config = try? ConfigFile.load(path) else { return false }
            return ConfigKind.recognise(config.root) == kind
        }
    }

    /// Every kms-server CoreConfig of the corpus, by the corpus's own SOURCES.md classification.
    static let serverFiles = Fixtures.corpusTOMLFiles.filter {
        $0.hasPrefix("core__service__config__default")
            || ($0.hasPrefix("core__service__config__compose_") && !$0.contains("keygen"))
    }

    @Test("every kms-server config validates with no error", arguments: serverFiles)
    func serverConfigPasses(name: String) throws {
        let result = try KMSConfigValidator().validateFile(Self.corpus.appendingPathComponent(name).path)
        #expect(result.kind == .kmsServer)
        #expect(result.findings.errorCount == 0, "\(result.findings.map(ValidationReportRenderer.line))")
    }

    @Test("the corpus has the server configs it should")
    func serverConfigsPresent() {
        #expect(Self.serverFiles.count >= 6)
    }

    static let otherSchemas: [(String, ConfigKind)] = [
        ("core-client__config__client_local_centralized.toml", .coreClient),
        ("core-client__config__client_local_threshold_custodian_backup.toml", .coreClient),
        ("core__service__config__client_local_threshold.toml", .coreClient),
        ("tools__kms-health-check__health-check.toml", .healthCheck),
    ]

    @Test("client and health-check configs are recognised as other schemas", arguments: otherSchemas)
    func otherSchemaIsRecognised(name: String, kind: ConfigKind) throws {
        let result = try KMSConfigValidator().validateFile(Self.corpus.appendingPathComponent(name).path)
        #expect(result.kind == kind)
        #expect(result.findings.count == 1)
        #expect(result.findings.first?.level == .note)
        #expect(
            result.findings.first?.message.contains(
                "not a kms-server config (looks like a \(kind.rawValue) config)") == true)
    }

    @Test("a kms-gen-keys config is recognised by its [keygen] table")
    func genKeysIsRecognised() throws {
        let root = try parseTOML("[keygen]\nparams = \"test\"\n[threshold]\nmy_id = 1\n")
        #expect(ConfigKind.recognise(root) == .genKeys)
    }
}
