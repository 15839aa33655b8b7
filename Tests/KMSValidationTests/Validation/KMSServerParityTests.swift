import DriftCore
import Foundation
import TestSupport
import Testing

@testable import KMSValidation

/// The fifteen judgements of issue 13, each on a real config of `shared/corpus/kms/` changed
/// in one place, asserting the exit status `validate` gives and the stage its message names.
/// The comment above each test cites the kms-server (or config-rs) source that decides it;
/// files are in `shared/research/kms-source/`.
@Suite("validate says what kms-server does (issue 13)")
struct KMSServerParityTests {
    static let defaultOne = "core__service__config__default_1.toml"
    static let centralized = "core__service__config__default_centralized.toml"
    static let enclave = "core__service__config__default_centralized_enclave.toml"

    struct Outcome {
        let status: Int32
        let strictStatus: Int32
        let findings: [Finding]
    }

    /// A corpus file with `old`, which must occur exactly once, replaced by `new`. The file as
    /// shipped must validate with no finding, so the change is what any finding is about.
    static func changed(_ name: String, _ old: String, _ new: String) throws -> String {
        let text = try String(
            contentsOf: CorpusValidationTests.corpus.appendingPathComponent(name), encoding: .utf8)
        #expect(try validate(text).findings.isEmpty, "\(name) as shipped")
        let occurrences = text.ranges(of: old).count
        try #require(occurrences == 1, "`\(old)` occurs \(occurrences) times in \(name)")
        return text.replacing(old, with: new)
    }

    static func validate(_ text: String) throws -> Outcome {
        let config = ConfigFile(path: "test.toml", root: try parseTOML(text))
        let plain = KMSConfigValidator().validate(config)
        let strict = KMSConfigValidator(strict: true).validate(config)
        return Outcome(
            status: KMSConfigValidator.exitStatus([plain]),
            strictStatus: KMSConfigValidator.exitStatus([strict]),
            findings: plain.findings)
    }

    /// The single finding at `path`, which must be an error naming `stage`.
    static func error(_ outcome: Outcome, at path: String, _ stage: RefusalStage) throws -> Finding {
        #expect(outcome.status == 1)
        let finding = try #require(
            outcome.findings.at(path).first, "no finding at \(path): \(outcome.findings)")
        #expect(finding.level == .error)
        #expect(finding.stage?.name == stage.name)
        #expect(
            finding.message.hasPrefix(stage.name == "start-up" ? "fails at start-up: " : stage.phrase + ": "))
        return finding
    }

    /// The single finding at `path`, which must be a warning (exit 0, exit 1 with --strict).
    static func warning(_ outcome: Outcome, at path: String) throws -> Finding {
        #expect(outcome.status == 0, "\(outcome.findings.map(ValidationReportRenderer.line))")
        #expect(outcome.strictStatus == 1)
        let finding = try #require(
            outcome.findings.at(path).first, "no finding at \(path): \(outcome.findings)")
        #expect(finding.level == .warning)
        #expect(finding.stage == nil)
        return finding
    }

    // MARK: Accepted by kms-server: warnings or nothing

    // kms-server.rs:470-476 builds the public vault with `keychain: None`; kms-server.rs:423-432
    // builds an AWS KMS client only for the private and backup keychains, so [aws] is not needed.
    @Test("1. a public-vault aws_kms keychain without [aws]: a warning that kms-server ignores it")
    func publicKeychainIgnored() throws {
        let text = try Self.changed(
            Self.centralized, "[backup_vault]\n",
            "[public_vault.keychain.aws_kms]\nroot_key_id = \"k\"\nroot_key_spec = \"symm\"\n\n[backup_vault]\n"
        )
        let outcome = try Self.validate(text)
        let finding = try Self.warning(outcome, at: "public_vault.keychain")
        #expect(finding.message.contains("kms-server ignores the public vault's keychain"))
        #expect(outcome.findings.at("aws.region").isEmpty)
    }

    // conf/threshold.rs:61-69: `my_id > n` only produces `tracing::warn!`.
    @Test("2. my_id not among the peers: a warning, kms-server only logs it")
    func myIDNotAmongPeers() throws {
        let outcome = try Self.validate(try Self.changed(Self.defaultOne, "my_id = 1", "my_id = 9"))
        let finding = try Self.warning(outcome, at: "threshold.my_id")
        #expect(finding.message.contains("only logs \"my_id 9 is greater than number of parties 4\""))
    }

    // config-rs value.rs:228-249 (`into_bool`: "true"), 517-535 (`into_float`: "2.0" parsed),
    // 564-573 (`into_string`: integers printed); de.rs:60-62, 118-130 ask for them.
    @Test(
        "3. values config-rs converts are accepted without a finding",
        arguments: [
            ("enable_sys_metrics = true", "enable_sys_metrics = \"true\""),
            ("enable_sys_metrics = true", "enable_sys_metrics = \"On\""),
            ("enable_sys_metrics = true", "enable_sys_metrics = 1"),
            ("multiplier = 2.0", "multiplier = \"2.0\""),
            ("multiplier = 2.0", "multiplier = 2"),
            ("tracing_service_name = \"kms-threshold-1\"", "tracing_service_name = 1"),
            ("my_id = 1", "my_id = \"1\""),
        ])
    func convertedValues(old: String, new: String) throws {
        let outcome = try Self.validate(try Self.changed(Self.defaultOne, old, new))
        #expect(outcome.findings.isEmpty, "\(outcome.findings.map(ValidationReportRenderer.line))")
        #expect(outcome.strictStatus == 0)
    }

    // value.rs:237-247: any other string is "invalid type … expected a boolean".
    @Test("3. a string config-rs cannot convert is refused when parsed")
    func unconvertibleBoolean() throws {
        let outcome = try Self.validate(
            try Self.changed(Self.defaultOne, "enable_sys_metrics = true", "enable_sys_metrics = \"enabled\"")
        )
        _ = try Self.error(outcome, at: "telemetry.enable_sys_metrics", .parsing)
    }

    // kms-server.rs:597-599 binds the service listener first; kms-server.rs:107-109 then binds
    // the MPC listener. 0.0.0.0 (IPv4) and ::1 (IPv6) on one port both bind (measured on Linux:
    // see the issue-13 note); the same or a covering wildcard address does not.
    @Test("4. the same port on different listen addresses is accepted")
    func samePortDifferentAddresses() throws {
        let text = try Self.changed(
            Self.defaultOne, "listen_address = \"0.0.0.0\"\nlisten_port = 50001",
            "listen_address = \"::1\"\nlisten_port = 50100")
        let outcome = try Self.validate(text)
        #expect(outcome.findings.isEmpty, "\(outcome.findings.map(ValidationReportRenderer.line))")
    }

    @Test("4. the same port on the same wildcard address fails at start-up")
    func samePortSameAddress() throws {
        let text = try Self.changed(
            Self.defaultOne, "listen_address = \"0.0.0.0\"\nlisten_port = 50001",
            "listen_address = \"0.0.0.0\"\nlisten_port = 50100")
        let finding = try Self.error(try Self.validate(text), at: "threshold.listen_port", .startUp(""))
        #expect(finding.message.contains("the MPC listener cannot bind 0.0.0.0:50100"))
    }

    // conf/threshold.rs:39-40 declare both without a check; MetaStore::insert refuses a new
    // request once `capacity` are held unless more than `min_cache` are finished.
    @Test(
        "5. decryption cache sizes kms-server never checks are warnings",
        arguments: [
            (
                "min_dec_cache = 6000", "min_dec_cache = 20000", "threshold.min_dec_cache",
                "refused once 10000 are held"
            ),
            (
                "min_dec_cache = 6000", "min_dec_cache = 10000", "threshold.min_dec_cache",
                "refused once 10000 are held"
            ),
            (
                "dec_capacity = 10000", "dec_capacity = 0", "threshold.dec_capacity",
                "refuses every decryption"
            ),
        ])
    func decryptionCache(old: String, new: String, path: String, consequence: String) throws {
        let finding = try Self.warning(
            try Self.validate(try Self.changed(Self.defaultOne, old, new)), at: path)
        #expect(finding.message.contains(consequence))
    }

    // conf/mod.rs:216-217: `VaultConfig.storage` has no #[validate(nested)], so S3Storage's
    // length(min = 1) (conf/mod.rs:261-264) never runs and FileStorage (250-254) has none.
    @Test("6. an empty S3 bucket: a warning, its length check never runs")
    func emptyBucket() throws {
        let text = try Self.changed(Self.enclave, "bucket = \"zama_kms_private_keys\"", "bucket = \"\"")
        let finding = try Self.warning(try Self.validate(text), at: "private_vault.storage.s3.bucket")
        #expect(finding.message.contains("never runs"))
        #expect(finding.message.contains("every S3 request of this vault fails"))
    }

    @Test("6. an empty file storage path: a warning saying where the vault goes")
    func emptyFilePath() throws {
        let text = try Self.changed(
            Self.defaultOne, "path = \"./keys\"\nprefix = \"PUB-p1\"", "path = \"\"\nprefix = \"PUB-p1\"")
        let finding = try Self.warning(try Self.validate(text), at: "public_vault.storage.file.path")
        #expect(finding.message.contains("working directory"))
    }

    // tls.rs:45-52: `hex::serde` decodes "" to an empty Vec; nothing checks the length.
    @Test("6. an empty PCR: a warning, no enclave matches the release")
    func emptyPCR() throws {
        let text = try Self.autoTLS().replacing("pcr2 = \"\(Self.zeros)\"", with: "pcr2 = \"\"")
        let finding = try Self.warning(
            try Self.validate(text), at: "threshold.tls.auto.trusted_releases[0].pcr2")
        #expect(finding.message.contains("no enclave matches"))
    }

    // conf/threshold.rs:231 declares mpc_identity without a check; with TLS on,
    // kms-server.rs:156-166 reads every peer's certificate and threshold.rs:156-166 compares its
    // subject with mpc_identity, so an empty one stops start-up. Without TLS it is a warning.
    @Test("6. an empty mpc_identity fails at start-up with TLS on, and is a warning without")
    func emptyMPCIdentity() throws {
        let withTLS = try Self.changed(Self.defaultOne, "mpc_identity = \"p2\"", "mpc_identity = \"\"")
        let finding = try Self.error(
            try Self.validate(withTLS), at: "threshold.peers[party_id=2].mpc_identity", .startUp(""))
        #expect(finding.message.contains("certificate subject"))

        let withoutTLS = withTLS.replacing(
            "[threshold.tls.manual]\ncert.path = \"certs/cert_p1.pem\"\nkey.path = \"certs/key_p1.pem\"\n",
            with: "")
        let warning = try Self.warning(
            try Self.validate(withoutTLS), at: "threshold.peers[party_id=2].mpc_identity")
        #expect(warning.message.contains("kms-server does not check it"))
    }

    // threshold.rs:133-145: an empty path is read with `std::fs::read_to_string` when TLS is
    // built (kms-server.rs:176-187); the failure returns from `main_exec`.
    @Test("6. an empty TLS certificate path fails at start-up, when TLS is built")
    func emptyTLSPath() throws {
        let text = try Self.changed(
            Self.defaultOne, "[threshold.tls.manual]\ncert.path = \"certs/cert_p1.pem\"",
            "[threshold.tls.manual]\ncert.path = \"\"")
        let finding = try Self.error(
            try Self.validate(text), at: "threshold.tls.manual.cert.path", .startUp(""))
        #expect(finding.message.contains("the certificate path is empty"))
    }

    // url crate: "localhost:9000" has scheme `localhost` and path `9000`; conf/mod.rs:207
    // `Option<Url>` accepts it.
    @Test("7. an endpoint without a scheme parses as a URL: a warning")
    func endpointWithoutScheme() throws {
        let text = try Self.changed(
            Self.defaultOne, "s3_endpoint = \"http://dev-s3-mock:9000\"", "s3_endpoint = \"localhost:9000\"")
        let finding = try Self.warning(try Self.validate(text), at: "aws.s3_endpoint")
        #expect(finding.message.contains("scheme `localhost`"))
    }

    // conf/threshold.rs:96-99 and 127-131: a missing `cert` defaults to the PEM "REDACTED";
    // kms-server.rs:178-187 parses it when TLS is built and fails.
    @Test("8. manual TLS without `cert` parses, then fails at start-up")
    func manualTLSWithoutCert() throws {
        let text = try Self.changed(
            Self.defaultOne, "[threshold.tls.manual]\ncert.path = \"certs/cert_p1.pem\"\n",
            "[threshold.tls.manual]\n")
        let finding = try Self.error(try Self.validate(text), at: "threshold.tls.manual.cert", .startUp(""))
        #expect(finding.message.contains("\"REDACTED\""))
    }

    // MARK: Refused by kms-server: errors

    // value.rs:416-431 parses the string; de.rs:24-33 and 95-98 narrow it to u16 and fail.
    @Test("9. a port written as a string that does not fit a u16 is refused when parsed")
    func portStringOutOfRange() throws {
        let text = try Self.changed(Self.defaultOne, "listen_port = 50100", "listen_port = \"70000\"")
        let finding = try Self.error(try Self.validate(text), at: "service.listen_port", .parsing)
        #expect(finding.message.contains("u16 (0...65535)"))
        #expect(!finding.fix.contains("70000"))
    }

    // value.rs:416-431 converts "0"; threshold.rs:36-37 `range(min = 1)` refuses it in validate().
    @Test("9. my_id = \"0\", as a Helm chart renders it, is refused by validation")
    func myIDStringZero() throws {
        let text = try Self.changed(Self.defaultOne, "my_id = 1", "my_id = \"0\"")
        _ = try Self.error(try Self.validate(text), at: "threshold.my_id", .validation)
    }

    // tls.rs:45-52: `#[serde(with = "hex::serde")]` decodes even-length hex without a prefix.
    @Test(
        "10. a PCR that is not even-length hex without 0x is refused when parsed",
        arguments: [
            "0x" + String(zeros.dropFirst(2)), String(zeros.dropFirst()), "zz" + String(zeros.dropFirst(2)),
        ])
    func pcrNotHex(value: String) throws {
        let text = try Self.autoTLS().replacing("pcr1 = \"\(Self.zeros)\"", with: "pcr1 = \"\(value)\"")
        _ = try Self.error(
            try Self.validate(text), at: "threshold.tls.auto.trusted_releases[0].pcr1", .parsing)
    }

    // threshold.rs:235 `Option<Address>`: alloy reads 20 bytes from 40 hex digits (0x optional).
    @Test("11. a verification_address that is not a 20-byte address is refused when parsed")
    func verificationAddress() throws {
        let text = try Self.changed(
            Self.defaultOne, "mpc_identity = \"p3\"",
            "mpc_identity = \"p3\"\nverification_address = \"0x1234\"")
        _ = try Self.error(
            try Self.validate(text), at: "threshold.peers[party_id=3].verification_address", .parsing)
        let good = text.replacing("\"0x1234\"", with: "\"0x" + String(repeating: "ab", count: 20) + "\"")
        #expect(try Self.validate(good).findings.isEmpty)
    }

    // de.rs:280-286 and 295-300: an enum is read from a table with exactly one key.
    @Test("12. an empty keychain table is refused when parsed")
    func emptyKeychain() throws {
        let text = try Self.changed(
            Self.defaultOne, "[backup_vault]\n", "[backup_vault]\n[backup_vault.keychain]\n")
        let finding = try Self.error(try Self.validate(text), at: "backup_vault.keychain", .parsing)
        #expect(finding.message.contains("names no variant"))
    }

    // rate_limiter.rs:23-34 declare u32 fields; conf/mod.rs:143-144 `max_sessions: u32`;
    // de.rs:101-104 narrow to u32.
    @Test("13. rate limiter values and max_sessions above u32::MAX are refused when parsed")
    func aboveU32() throws {
        let rate = try Self.changed(Self.defaultOne, "crsgen = 100", "crsgen = 4294967296")
        _ = try Self.error(try Self.validate(rate), at: "rate_limiter_conf.crsgen", .parsing)
        let bandwidth = try Self.changed(
            Self.defaultOne, "[rate_limiter_conf]\n",
            """
            [bandwidth_benchmark]
            max_payload_bytes = 268435456
            max_sessions = 4294967296
            max_total_bytes = 1073741824
            max_duration_secs = 60
            max_concurrent_runs = 1

            [rate_limiter_conf]

            """)
        _ = try Self.error(try Self.validate(bandwidth), at: "bandwidth_benchmark.max_sessions", .parsing)
        // bucket_size is a usize (rate_limiter.rs:21): the same value fits.
        let bucket = try Self.changed(Self.defaultOne, "bucket_size = 50000", "bucket_size = 4294967296")
        #expect(try Self.validate(bucket).findings.isEmpty)
    }

    // conf/mod.rs:207 `Option<Url>`: `Url::parse("http://")` fails with EmptyHost.
    @Test("14. an endpoint with no host is refused when parsed")
    func endpointWithoutHost() throws {
        let text = try Self.changed(
            Self.defaultOne, "s3_endpoint = \"http://dev-s3-mock:9000\"", "s3_endpoint = \"http://\"")
        let finding = try Self.error(try Self.validate(text), at: "aws.s3_endpoint", .parsing)
        #expect(finding.message.contains("host is empty"))
    }

    // kms-server.rs:575-593: `"<address>:<port>".to_socket_addrs()` fails and kms-server panics.
    @Test(
        "15. a listen address that does not resolve fails at start-up",
        arguments: ["0.0.0.0:50100", "http://0.0.0.0", "0.0.0.0 ", "256.0.0.1", "[localhost]"])
    func unresolvableListenAddress(address: String) throws {
        let text = try Self.changed(
            Self.defaultOne, "listen_address = \"0.0.0.0\"\n\n# Port",
            "listen_address = \"\(address)\"\n\n# Port")
        let finding = try Self.error(try Self.validate(text), at: "service.listen_address", .startUp(""))
        #expect(finding.message.contains("Wrong service IP Address"))
    }

    @Test(
        "15. addresses that resolve are accepted",
        arguments: ["127.0.0.1", "::", "[::1]", "localhost", "kms-core.svc.cluster.local", "127.1"])
    func resolvableListenAddress(address: String) throws {
        let text = try Self.changed(
            Self.defaultOne, "listen_address = \"0.0.0.0\"\n\n# Port",
            "listen_address = \"\(address)\"\n\n# Port")
        #expect(try Self.validate(text).findings.at("service.listen_address").isEmpty)
    }

    // MARK: Fixtures

    static let zeros = String(repeating: "0", count: 96)

    /// default_1 with its manual TLS replaced by the auto TLS section its own comments document
    /// (one trusted release of three PCRs), which validates cleanly.
    static func autoTLS() throws -> String {
        let text = try changed(
            defaultOne,
            "[threshold.tls.manual]\ncert.path = \"certs/cert_p1.pem\"\nkey.path = \"certs/key_p1.pem\"\n",
            """
            [threshold.tls.auto]
            [[threshold.tls.auto.trusted_releases]]
            pcr0 = "\(zeros)"
            pcr1 = "\(zeros)"
            pcr2 = "\(zeros)"

            """)
        #expect(try validate(text).findings.isEmpty)
        return text
    }
}
