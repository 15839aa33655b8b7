/// The kms-server configuration schema (zama-ai/kms 0.15.0, commit 30b425c6) as data: every
/// section, key, type, range and enum value in one table, so a new release means editing
/// this file, not the validator. Source: `shared/research/kms-config-schema.md`.
public enum KMSSchema {
    /// The type a key's value must have, with its range where kms-server enforces one.
    public indirect enum ValueType: Sendable {
        /// A string of at least `minLength` scalars, and one of `allowed` when given.
        case string(minLength: Int = 0, allowed: [String]? = nil)
        /// An integer within `range` (u16, u64, usize with the validator's lower bound).
        case integer(ClosedRange<Int64>)
        case float
        case bool
        /// A string parsed as a URL by kms-server.
        case url
        case table(Table)
        /// `[[…]]`: an array of tables, each checked against the table.
        case arrayOfTables(Table)
        /// An array of strings.
        case stringArray

        /// What a person calls it in a message.
        public var description: String {
            switch self {
            case .string(_, let allowed?):
                return "one of " + allowed.map { "\"\($0)\"" }.joined(separator: ", ")
            case .string: return "a string"
            case .integer(let range) where range.upperBound == Int64.max:
                return "an integer ≥ \(range.lowerBound)"
            case .integer(let range): return "an integer in \(range.lowerBound)...\(range.upperBound)"
            case .float: return "a float"
            case .bool: return "a boolean"
            case .url: return "a URL string"
            case .table: return "a table"
            case .arrayOfTables: return "an array of tables ([[…]])"
            case .stringArray: return "an array of strings"
            }
        }
    }

    /// One key of a table.
    public struct Key: Sendable {
        public let name: String
        public let type: ValueType
        public let required: Bool

        public init(_ name: String, _ type: ValueType, required: Bool = false) {
            self.name = name
            self.type = type
            self.required = required
        }
    }

    /// What kms-server does with a key its struct does not declare.
    public enum UnknownKeys: Sendable {
        /// `#[serde(deny_unknown_fields)]`: the server refuses to start.
        case deny
        /// No `deny_unknown_fields`: the key is silently dropped.
        case ignore
    }

    /// A Rust enum written as a table: how many of its variant keys may appear.
    public enum Variants: Sendable {
        /// A plain struct.
        case none
        /// Exactly one key (`Storage`, `TlsConf`, `TlsCert`).
        case exactlyOne
        /// Zero or one key (`Keychain`: the samples say use at most one).
        case atMostOne
    }

    /// A struct (or an enum written as a table) of the schema.
    public struct Table: Sendable {
        public let keys: [Key]
        public let unknownKeys: UnknownKeys
        public let variants: Variants

        public init(_ keys: [Key], unknownKeys: UnknownKeys = .deny, variants: Variants = .none) {
            self.keys = keys
            self.unknownKeys = unknownKeys
            self.variants = variants
        }

        public func key(_ name: String) -> Key? { keys.first { $0.name == name } }
    }

    // MARK: Ranges used by the Rust types and validators

    static let u16 = Int64(1)...Int64(UInt16.max)
    static let positive = Int64(1)...Int64.max
    static let nonNegative = Int64(0)...Int64.max
    static let u8Positive = Int64(1)...Int64(UInt8.max)
    static let grpcMessageSize = Int64(1)...Int64(2_147_483_647)
    static let u32Positive = Int64(1)...Int64(UInt32.max)

    /// `TlsCert` / `TlsKey`: `{ path = "…" }` or `{ pem = """…""" }`.
    static let tlsMaterial = Table(
        [Key("path", .string(minLength: 1)), Key("pem", .string(minLength: 1))], variants: .exactlyOne)

    /// `FileStorage`, `S3Storage`, `RamStorage` under `Storage`.
    static let storage = Table(
        [
            Key(
                "file",
                .table(Table([Key("path", .string(minLength: 1), required: true), Key("prefix", .string())]))),
            Key(
                "s3",
                .table(
                    Table([Key("bucket", .string(minLength: 1), required: true), Key("prefix", .string())]))),
            Key("ram", .table(Table([]))),
        ], variants: .exactlyOne)

    /// `Keychain`: AWS KMS envelope encryption or custodian secret sharing.
    static let keychain = Table(
        [
            Key(
                "aws_kms",
                .table(
                    Table([
                        Key("root_key_id", .string(minLength: 1), required: true),
                        Key("root_key_spec", .string(allowed: ["symm", "asymm"]), required: true),
                    ]))),
            Key("secret_sharing", .table(Table([], unknownKeys: .ignore))),
        ], variants: .atMostOne)

    /// `VaultConfig` for `public_vault`, `private_vault`, `backup_vault`.
    static let vault = Table([
        Key("storage", .table(storage), required: true), Key("keychain", .table(keychain)),
    ])

    /// The vaults, in the order kms-server documents them.
    public static let vaultNames = ["public_vault", "private_vault", "backup_vault"]

    /// The storage variant names (snake_case, as serde spells them).
    public static let storageVariants = ["file", "s3", "ram"]

    /// `DecryptionMode`, PascalCase as serde spells it.
    public static let decryptionModes = ["NoiseFloodSmall", "NoiseFloodLarge", "BitDecSmall", "BitDecLarge"]

    static let peer = Table([
        Key("party_id", .integer(positive), required: true),
        Key("address", .string(minLength: 1), required: true),
        Key("port", .integer(u16), required: true),
        Key("mpc_identity", .string(minLength: 1)),
        Key("tls_cert", .table(tlsMaterial)),
        Key("verification_address", .string(minLength: 1)),
    ])

    static let releasePCRs = Table([
        Key("pcr0", .string(minLength: 1), required: true),
        Key("pcr1", .string(minLength: 1), required: true),
        Key("pcr2", .string(minLength: 1), required: true),
    ])

    static let tls = Table(
        [
            Key(
                "manual",
                .table(
                    Table([
                        Key("cert", .table(tlsMaterial), required: true),
                        Key("key", .table(tlsMaterial), required: true),
                    ]))),
            Key(
                "auto",
                .table(
                    Table([
                        Key("trusted_releases", .arrayOfTables(releasePCRs), required: true),
                        Key("eif_signing_cert", .table(tlsMaterial)),
                        Key("attest_private_vault_root_key", .bool),
                        Key("renew_slack_after_expiration", .integer(nonNegative)),
                        Key("renew_fail_retry_timeout", .integer(nonNegative)),
                    ]))),
        ], variants: .exactlyOne)

    /// `CoreToCoreNetworkConfig`: all optional; its range attributes are not enforced upstream.
    static let coreToCoreNet = Table(
        [
            "message_limit", "max_interval", "max_elapsed_time", "initial_interval_ms", "network_timeout",
            "network_timeout_bk", "network_timeout_bk_sns", "max_en_decode_message_size",
            "session_update_interval_secs", "session_cleanup_interval_secs",
            "discard_inactive_sessions_interval",
            "max_waiting_time_for_message_queue", "max_opened_inactive_sessions_per_party",
            "max_future_rounds",
            "max_buffered_future_msgs",
        ].map { Key($0, .integer(nonNegative)) } + [Key("multiplier", .float)])

    static let threshold = Table([
        Key("listen_address", .string(minLength: 1), required: true),
        Key("listen_port", .integer(u16), required: true),
        Key("threshold", .integer(u8Positive), required: true),
        Key("my_id", .integer(positive)),
        Key("dec_capacity", .integer(nonNegative), required: true),
        Key("min_dec_cache", .integer(nonNegative), required: true),
        Key("num_sessions_preproc", .integer(Int64(0)...Int64(UInt16.max))),
        Key("decryption_mode", .string(allowed: decryptionModes), required: true),
        Key("tls", .table(tls)),
        Key("peers", .arrayOfTables(peer)),
        Key("core_to_core_net", .table(coreToCoreNet)),
    ])

    /// The seven rate-limiter buckets: all required when the section exists.
    public static let rateLimiterKeys = [
        "bucket_size", "pub_decrypt", "user_decrypt", "crsgen", "preproc", "keygen", "new_epoch",
    ]

    static let telemetry = Table([
        Key("tracing_service_name", .string(minLength: 1)),
        Key("tracing_endpoint", .string(minLength: 1)),
        Key("tracing_otlp_timeout_ms", .integer(positive)),
        Key("metrics_bind_address", .string(minLength: 1)),
        Key("enable_sys_metrics", .bool),
        Key("refresh_interval_ms", .integer(positive)),
        Key(
            "batch",
            .table(
                Table(
                    ["max_queue_size", "max_export_batch_size", "scheduled_delay_ms"].map {
                        Key($0, .integer(nonNegative))
                    }, unknownKeys: .ignore))),
    ])

    /// `CoreConfig`, the root of a kms-server config file.
    public static let root = Table([
        Key(
            "service",
            .table(
                Table([
                    Key("listen_address", .string(minLength: 1), required: true),
                    Key("listen_port", .integer(u16), required: true),
                    Key("timeout_secs", .integer(positive), required: true),
                    Key("grpc_max_message_size", .integer(grpcMessageSize), required: true),
                ])), required: true),
        Key("threshold", .table(threshold)),
        Key(
            "aws",
            .table(
                Table([
                    Key("region", .string(minLength: 1), required: true),
                    Key("role_arn", .string(minLength: 1)),
                    Key("imds_endpoint", .url), Key("sts_endpoint", .url), Key("s3_endpoint", .url),
                    Key("awskms_endpoint", .url),
                ]))),
        Key("public_vault", .table(vault)),
        Key("private_vault", .table(vault)),
        Key("backup_vault", .table(vault)),
        Key("telemetry", .table(telemetry)),
        Key(
            "rate_limiter_conf",
            .table(
                Table(
                    rateLimiterKeys.map { Key($0, .integer(positive), required: true) }, unknownKeys: .ignore)
            )),
        Key(
            "internal_config",
            .table(
                Table([
                    Key("num_tokio_threads", .integer(positive), required: true),
                    Key("num_rayon_threads", .integer(positive), required: true),
                ]))),
        Key(
            "enclave_bootstrap",
            .table(Table([Key("web_identity_token_port", .integer(u16), required: true)]))),
        Key(
            "bandwidth_benchmark",
            .table(
                Table([
                    Key("max_payload_bytes", .integer(u32Positive), required: true),
                    Key("max_sessions", .integer(positive), required: true),
                    Key("max_total_bytes", .integer(positive), required: true),
                    Key("max_duration_secs", .integer(positive), required: true),
                    Key("max_concurrent_runs", .integer(positive), required: true),
                ]))),
        Key(
            "migration",
            .table(
                Table([
                    Key(
                        "context_associations",
                        .arrayOfTables(
                            Table([
                                Key("context_id", .string(minLength: 1), required: true),
                                Key("epoch_ids", .stringArray, required: true),
                            ])))
                ]))),
        // Exists only when kms-server is built with the `insecure` feature (the repo's Dockerfile does).
        Key("mock_enclave", .bool),
    ])
}
