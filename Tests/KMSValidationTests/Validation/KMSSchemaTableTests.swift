import DriftCore
import Foundation
import TestSupport
import Testing

@testable import KMSValidation

/// Walks `KMSSchema` key by key and holds each entry against the Rust source it cites
/// (`shared/research/kms-source/`): the declaring line names the field and its Rust type (with
/// the integer width), the attributes above it match the recorded `#[validate]` rule and
/// `#[validate(nested)]`, optionality matches `required`, and the refusal stages follow from it.
@Suite("KMSSchema: every key against kms-server's source")
struct KMSSchemaTableTests {
    static let sourceDirectory = TestPaths.shared.appendingPathComponent("research/kms-source")

    static let paths: [String] = KMSSchema.allKeys().map { $0.path.joined(separator: ".") }

    static func lines(of file: String) throws -> [String] {
        try String(contentsOf: sourceDirectory.appendingPathComponent(file), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// `aws_kms` → `AwsKms`, as serde's `rename_all = "snake_case"` undoes.
    static func camelCase(_ name: String) -> String {
        name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The attribute lines written above a declaration, up to the previous field or brace.
    static func attributes(above index: Int, in lines: [String]) -> [String] {
        var result: [String] = []
        var position = index - 1
        while position >= 0 {
            let line = lines[position].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#[") {
                result.append(line)
            } else if !(line.hasPrefix("//") || line.isEmpty) {
                break
            }
            position -= 1
        }
        return result
    }

    /// The token the declaring line must contain for this type.
    static func rustToken(_ type: KMSSchema.RustType) -> String {
        switch type {
        case .structure(let name, _) where name.contains("::"):
            return String(name.split(separator: ":").last ?? "")
        default: return type.name
        }
    }

    /// 143 key paths: the three vaults share `VaultConfig`, and `TlsCert` appears under
    /// `cert`, `eif_signing_cert` and every peer's `tls_cert`.
    @Test("the table holds kms-server's 143 key paths, among them every one the issue names")
    func keyCount() {
        #expect(Self.paths.count == 143, "\(Self.paths.count) key paths")
        for path in [
            "threshold.my_id", "threshold.peers.verification_address",
            "threshold.tls.auto.trusted_releases.pcr0",
            "rate_limiter_conf.crsgen", "bandwidth_benchmark.max_sessions", "aws.s3_endpoint",
            "private_vault.keychain", "telemetry.enable_sys_metrics", "threshold.core_to_core_net.multiplier",
        ] {
            #expect(Self.paths.contains(path), "\(path)")
        }
    }

    @Test(
        "every key records its Rust type, validation and refusal stages, and its source line",
        arguments: paths)
    func keyMatchesSource(path: String) throws {
        let names = path.split(separator: ".").map(String.init)
        let key = try #require(KMSSchema.key(at: names))
        let parent =
            names.count == 1
            ? KMSSchema.root : try #require(KMSSchema.key(at: Array(names.dropLast()))?.type.table)

        // Stages: parsing always; validation exactly when an attribute runs; start-up when recorded.
        #expect(key.refusedAt.first == .parsing)
        #expect(key.validationRuns == (key.validator != nil && parent.validated))
        #expect(key.refusedAt.contains(.validation) == key.validationRuns)
        if let startUp = key.startUp { #expect(key.refusedAt.last == .startUp(startUp)) }
        if case .unsigned(let width) = key.type { #expect(key.type.name == width.rawValue) }

        switch key.source {
        case .upstream(let text):
            #expect(text.contains(parent.name), "cite the struct for \(path)")
            #expect(text.contains(key.type.name), "cite the type for \(path)")
        case .line(let file, let number):
            let lines = try Self.lines(of: file)
            try #require(number >= 1 && number <= lines.count, "\(file):\(number)")
            let line = lines[number - 1]
            let above = Self.attributes(above: number - 1, in: lines)
            if parent.isEnum {
                // A variant: `File(FileStorage)`, `Path(PathBuf)`, `Manual {`.
                let variant = Self.camelCase(key.name)
                #expect(
                    line.contains("\(variant)(\(Self.rustToken(key.type)))") || line.contains("\(variant) {"),
                    "\(file):\(number) does not declare variant \(variant): \(line)")
                #expect(key.type.table?.validated ?? parent.validated == parent.validated)
            } else {
                #expect(
                    line.contains("\(key.name):"), "\(file):\(number) does not declare \(key.name): \(line)")
                #expect(
                    line.contains(Self.rustToken(key.type)),
                    "\(file):\(number) is not a \(key.type.name): \(line)")
                let optional = line.contains("Option<") || above.contains { $0.contains("default") }
                #expect(
                    key.required == !optional, "\(path): required is \(key.required), the source says \(line)"
                )
                if let child = key.type.table {
                    let nested = above.contains { $0.contains("#[validate(nested)]") }
                    #expect(child.validated == (parent.validated && nested), "\(path): nested validation")
                }
            }
            let rules = above.filter { $0.contains("range(") || $0.contains("length(") }
            if let validator = key.validator {
                #expect(
                    rules.contains { $0.contains(validator.attribute) },
                    "\(path): \(validator.attribute) in \(above)")
            } else {
                #expect(rules.isEmpty, "\(path) has an attribute the table does not record: \(rules)")
            }
        }
    }

    @Test("a key is found by its path, through tables, enums and arrays of tables")
    func lookup() throws {
        let myID = try #require(KMSSchema.key(at: ["threshold", "my_id"]))
        guard case .unsigned(.usize) = myID.type else {
            Issue.record("threshold.my_id is a \(myID.type.name)")
            return
        }
        #expect(KMSSchema.key(at: ["threshold", "peers", "port"])?.type.name == "u16")
        #expect(KMSSchema.key(at: ["private_vault", "storage", "s3", "bucket"])?.validationRuns == false)
        #expect(KMSSchema.key(at: ["threshold", "nope"]) == nil)
    }
}
