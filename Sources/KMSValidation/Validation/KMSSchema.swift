import DriftCore

/// The kms-server configuration schema (zama-ai/kms 0.15.0, commit 30b425c6) as data: every
/// struct and key with its Rust type (integers with their width), its `#[validate]` attribute,
/// whether `validate()` reaches it, what fails at start-up for a bad value, and the line that
/// declares it in `shared/research/kms-source/`. A new release means editing this file, not
/// the validator. `KMSSchemaTableTests` checks each entry against the Rust source.
package enum KMSSchema {
    // MARK: Source files (shared/research/kms-source/)

    static let conf = "core__service__src__conf__mod.rs"
    static let thresholdConf = "core__service__src__conf__threshold.rs"
    static let rateLimiter = "core__service__src__util__rate_limiter.rs"
    static let tlsSource = "core__threshold-networking__src__tls.rs"
    static let observability = "observability__src__conf.rs"

    static func at(_ file: String, _ line: Int) -> RustSource { .line(file: file, line: line) }

    // MARK: What fails at start-up (core/service/src/bin/kms-server.rs unless said otherwise)

    static let resolvesAtStartUp =
        "kms-server panics when \"<address>:<port>\" does not resolve to a socket address"
    static let prefixAtStartUp =
        "the storage refuses a prefix that starts with another vault type's name (storage_prefix_safety)"
    static let tlsMaterialAtStartUp =
        "building TLS reads and parses the PEM; an unreadable or empty one stops start-up"
    static let awsAtStartUp =
        "S3 storage and an aws_kms keychain panic without [aws] (\"AWS configuration must be provided\")"

    // MARK: Vaults

    /// `TlsCert`: `{ path = "…" }` or `{ pem = """…""" }`.
    static let tlsCert = Table(
        "TlsCert",
        [
            Key("path", .path, startUp: tlsMaterialAtStartUp, source: at(thresholdConf, 123)),
            Key("pem", .string, startUp: tlsMaterialAtStartUp, source: at(thresholdConf, 124)),
        ], isEnum: true, validated: false)

    /// `TlsKey`: the same shape as `TlsCert`, for the private key.
    static let tlsKey = Table(
        "TlsKey",
        [
            Key("path", .path, startUp: tlsMaterialAtStartUp, source: at(thresholdConf, 190)),
            Key("pem", .string, startUp: tlsMaterialAtStartUp, source: at(thresholdConf, 191)),
        ], isEnum: true, validated: false)

    /// `Storage`: `VaultConfig.storage` has no `#[validate(nested)]`, so nothing below it is
    /// validated (S3's `length(min = 1)` attributes never run).
    static let storage = Table(
        "Storage",
        [
            Key(
                "ram", .structure("RamStorage", Table("RamStorage", [], validated: false)),
                source: at(conf, 228)),
            Key(
                "file",
                .structure(
                    "FileStorage",
                    Table(
                        "FileStorage",
                        [
                            Key(
                                "path", .path, required: true,
                                consequence:
                                    "kms-server creates the vault relative to its working directory "
                                    + "(an empty path joined with the prefix)",
                                source: at(conf, 252)),
                            Key(
                                "prefix", .string, startUp: prefixAtStartUp,
                                consequence:
                                    "the vault's files go straight into `path`, not into a per-vault directory, "
                                    + "so vaults sharing that path mix their files",
                                source: at(conf, 253)),
                        ], validated: false)), source: at(conf, 229)),
            Key(
                "s3",
                .structure(
                    "S3Storage",
                    Table(
                        "S3Storage",
                        [
                            Key(
                                "bucket", .string, required: true, validator: .length(min: 1),
                                consequence:
                                    "every S3 request of this vault fails; kms-server reads the public and private "
                                    + "vaults while starting (migration, signing key), the backup vault at its first backup",
                                source: at(conf, 262)),
                            Key(
                                "prefix", .string, validator: .length(min: 1), startUp: prefixAtStartUp,
                                consequence:
                                    "objects are stored under keys that start with \"/\" at the top of the bucket, "
                                    + "not under a per-vault prefix",
                                source: at(conf, 264)),
                        ], validated: false)), startUp: awsAtStartUp, source: at(conf, 230)),
        ], isEnum: true, validated: false)

    /// `Keychain`: reached by `#[validate(nested)]`; its hand-written `Validate` dispatches to the variant.
    static let keychain = Table(
        "Keychain",
        [
            Key(
                "aws_kms",
                .structure(
                    "AwsKmsKeychain",
                    Table(
                        "AwsKmsKeychain",
                        [
                            Key(
                                "root_key_id", .string, required: true, validator: .length(min: 1),
                                source: at(conf, 292)),
                            Key(
                                "root_key_spec", .unitEnum("AwsKmsKeySpec", variants: ["symm", "asymm"]),
                                required: true, source: at(conf, 293)),
                        ], validated: true)), startUp: awsAtStartUp, source: at(conf, 271)),
            Key(
                "secret_sharing",
                .structure(
                    "SecretSharingKeychain",
                    Table("SecretSharingKeychain", [], unknownKeys: .ignore, validated: true)),
                source: at(conf, 272)),
        ], isEnum: true, validated: true)

    /// `VaultConfig` for `public_vault`, `private_vault`, `backup_vault`.
    static let vault = Table(
        "VaultConfig",
        [
            Key("storage", .enumeration("Storage", storage), required: true, source: at(conf, 217)),
            Key("keychain", .enumeration("Keychain", keychain), source: at(conf, 219)),
        ], validated: true)

    /// The vaults, in the order kms-server documents them.
    package static let vaultNames = ["public_vault", "private_vault", "backup_vault"]

    /// The storage variant names (snake_case, as serde spells them).
    package static let storageVariants = ["file", "s3", "ram"]

    // MARK: Threshold

    /// `DecryptionMode`, PascalCase as serde spells it.
    package static let decryptionModes = ["NoiseFloodSmall", "NoiseFloodLarge", "BitDecSmall", "BitDecLarge"]

    static let peer = Table(
        "PeerConf",
        [
            Key(
                "party_id", .unsigned(.usize), required: true, validator: .range(min: 1, max: nil),
                source: at(thresholdConf, 228)),
            Key(
                "address", .string, required: true, validator: .length(min: 1), source: at(thresholdConf, 230)
            ),
            Key(
                "mpc_identity", .string,
                startUp: "with TLS on, each peer's certificate subject must equal it (or `address`)",
                source: at(thresholdConf, 231)),
            Key(
                "port", .unsigned(.u16), required: true, validator: .range(min: 1, max: 65535),
                source: at(thresholdConf, 233)),
            Key(
                "tls_cert", .enumeration("TlsCert", tlsCert),
                startUp: "with TLS on, a peer without `tls_cert` panics (\"No CA certificate present\")",
                source: at(thresholdConf, 234)),
            Key("verification_address", .address, source: at(thresholdConf, 235)),
        ], validated: true)

    /// PCR0–2 of a Nitro enclave are SHA-384 digests; kms-server decodes any even-length hex.
    static let pcrBytes = 48
    static let pcrConsequence =
        "a Nitro PCR is a 48-byte SHA-384 (96 hex digits) and kms-server does not check the length, "
        + "so no enclave matches this trusted release"

    static let releasePCRs = Table(
        "ReleasePCRValues",
        [
            Key("pcr0", .hexBytes, required: true, consequence: pcrConsequence, source: at(tlsSource, 46)),
            Key("pcr1", .hexBytes, required: true, consequence: pcrConsequence, source: at(tlsSource, 49)),
            Key("pcr2", .hexBytes, required: true, consequence: pcrConsequence, source: at(tlsSource, 52)),
        ], validated: false)

    /// `TlsConf`: `ThresholdPartyConf.tls` is not nested-validated; `Manual`'s `cert` and `key`
    /// default to the placeholder PEM "REDACTED", so leaving them out parses and fails at start-up.
    static let tls = Table(
        "TlsConf",
        [
            Key(
                "manual",
                .structure(
                    "TlsConf::Manual",
                    Table(
                        "TlsConf::Manual",
                        [
                            Key(
                                "cert", .enumeration("TlsCert", tlsCert),
                                startUp:
                                    "without `cert`, building TLS parses the placeholder \"REDACTED\" and fails",
                                source: at(thresholdConf, 97)),
                            Key(
                                "key", .enumeration("TlsKey", tlsKey),
                                startUp:
                                    "without `key`, building TLS parses the placeholder \"REDACTED\" and fails",
                                source: at(thresholdConf, 99)),
                        ], validated: false)), source: at(thresholdConf, 95)),
            Key(
                "auto",
                .structure(
                    "TlsConf::Auto",
                    Table(
                        "TlsConf::Auto",
                        [
                            Key(
                                "eif_signing_cert", .enumeration("TlsCert", tlsCert),
                                startUp: tlsMaterialAtStartUp, source: at(thresholdConf, 112)),
                            Key(
                                "trusted_releases", .vector(.structure("ReleasePCRValues", releasePCRs)),
                                required: true, source: at(thresholdConf, 113)),
                            Key("attest_private_vault_root_key", .bool, source: at(thresholdConf, 114)),
                            Key(
                                "renew_slack_after_expiration", .unsigned(.u64),
                                source: at(thresholdConf, 115)),
                            Key("renew_fail_retry_timeout", .unsigned(.u64), source: at(thresholdConf, 116)),
                        ], validated: false)), source: at(thresholdConf, 106)),
        ], isEnum: true, validated: false)

    /// `CoreToCoreNetworkConfig` (threshold-networking): all optional, no attributes, not nested.
    static let coreToCoreNet = Table(
        "CoreToCoreNetworkConfig",
        [
            "message_limit", "max_interval", "max_elapsed_time", "initial_interval_ms", "network_timeout",
            "network_timeout_bk", "network_timeout_bk_sns", "max_en_decode_message_size",
            "session_update_interval_secs", "session_cleanup_interval_secs",
            "discard_inactive_sessions_interval", "max_waiting_time_for_message_queue",
            "max_opened_inactive_sessions_per_party", "max_future_rounds", "max_buffered_future_msgs",
        ].map {
            Key(
                $0, .unsigned(.u64),
                source: .upstream("CoreToCoreNetworkConfig in threshold-networking: Option<u64>"))
        }
            + [
                Key(
                    "multiplier", .f64,
                    source: .upstream("CoreToCoreNetworkConfig in threshold-networking: Option<f64>"))
            ],
        validated: false)

    static let threshold = Table(
        "ThresholdPartyConf",
        [
            Key(
                "listen_address", .string, required: true, validator: .length(min: 1),
                startUp: resolvesAtStartUp, source: at(thresholdConf, 25)),
            Key(
                "listen_port", .unsigned(.u16), required: true, validator: .range(min: 1, max: 65535),
                startUp: "the MPC listener panics when it cannot bind (a port the service listener holds)",
                source: at(thresholdConf, 28)),
            Key("tls", .enumeration("TlsConf", tls), source: at(thresholdConf, 30)),
            Key(
                "threshold", .unsigned(.u8), required: true, validator: .range(min: 1, max: nil),
                source: at(thresholdConf, 34)),
            Key(
                "my_id", .unsigned(.usize), validator: .range(min: 1, max: nil), source: at(thresholdConf, 37)
            ),
            Key("dec_capacity", .unsigned(.usize), required: true, source: at(thresholdConf, 39)),
            Key("min_dec_cache", .unsigned(.usize), required: true, source: at(thresholdConf, 40)),
            Key("num_sessions_preproc", .unsigned(.u16), source: at(thresholdConf, 41)),
            Key("peers", .vector(.structure("PeerConf", peer)), source: at(thresholdConf, 44)),
            Key(
                "core_to_core_net", .structure("CoreToCoreNetworkConfig", coreToCoreNet),
                source: at(thresholdConf, 47)),
            Key(
                "decryption_mode", .unitEnum("DecryptionMode", variants: decryptionModes), required: true,
                source: at(thresholdConf, 48)),
        ], validated: true)

    // MARK: Other sections

    /// The seven rate-limiter buckets: all required when the section exists.
    package static let rateLimiterKeys = [
        "bucket_size", "pub_decrypt", "user_decrypt", "crsgen", "preproc", "keygen", "new_epoch",
    ]

    /// `RateLimiterConfig`: no `deny_unknown_fields`; `bucket_size` is a usize, the rest u32.
    static let rateLimiterConf = Table(
        "RateLimiterConfig",
        zip(rateLimiterKeys, [21, 24, 26, 28, 30, 32, 34]).map { name, line in
            Key(
                name, .unsigned(name == "bucket_size" ? .usize : .u32), required: true,
                validator: .range(min: 1, max: nil), source: at(rateLimiter, line))
        }, unknownKeys: .ignore, validated: true)

    /// `TelemetryConfig` (observability): reached by `#[validate(nested)]`; `batch` is not.
    static let telemetry = Table(
        "TelemetryConfig",
        [
            Key("tracing_service_name", .string, validator: .length(min: 1), source: at(observability, 33)),
            Key("tracing_endpoint", .string, validator: .length(min: 1), source: at(observability, 38)),
            Key(
                "tracing_otlp_timeout_ms", .unsigned(.u64), validator: .range(min: 1, max: nil),
                source: at(observability, 43)),
            Key(
                "metrics_bind_address", .string, validator: .length(min: 1),
                startUp: "the metrics server parses it as an IP socket address (observability telemetry.rs)",
                source: at(observability, 48)),
            Key(
                "batch",
                .structure(
                    "Batch",
                    Table(
                        "Batch",
                        [
                            Key("max_queue_size", .unsigned(.usize), source: at(observability, 148)),
                            Key("max_export_batch_size", .unsigned(.usize), source: at(observability, 149)),
                            Key("scheduled_delay_ms", .unsigned(.u64), source: at(observability, 150)),
                        ], unknownKeys: .ignore, validated: false)), source: at(observability, 52)),
            Key("enable_sys_metrics", .bool, source: at(observability, 55)),
            Key(
                "refresh_interval_ms", .unsigned(.u64), validator: .range(min: 1, max: nil),
                source: at(observability, 59)),
        ], validated: true)

    static let service = Table(
        "ServiceEndpoint",
        [
            Key(
                "listen_address", .string, required: true, validator: .length(min: 1),
                startUp: resolvesAtStartUp, source: at(conf, 115)),
            Key(
                "listen_port", .unsigned(.u16), required: true, validator: .range(min: 1, max: 65535),
                startUp: "the service listener panics when it cannot bind", source: at(conf, 117)),
            Key(
                "timeout_secs", .unsigned(.u64), required: true, validator: .range(min: 1, max: nil),
                source: at(conf, 120)),
            Key(
                "grpc_max_message_size", .unsigned(.usize), required: true,
                validator: .range(min: 1, max: 2_147_483_647), source: at(conf, 123)),
        ], validated: true)

    static let aws = Table(
        "AWSConfig",
        [
            Key("region", .string, required: true, validator: .length(min: 1), source: at(conf, 202)),
            Key("role_arn", .string, validator: .length(min: 1), source: at(conf, 204)),
            Key("imds_endpoint", .url, source: at(conf, 205)),
            Key("sts_endpoint", .url, source: at(conf, 206)),
            Key("s3_endpoint", .url, source: at(conf, 207)),
            Key("awskms_endpoint", .url, source: at(conf, 208)),
        ], validated: true)

    static let bandwidthBenchmark = Table(
        "BandwidthBenchmarkConfig",
        [
            ("max_payload_bytes", ConfigRsConversion.UnsignedWidth.u32, 141),
            ("max_sessions", .u32, 144), ("max_total_bytes", .u64, 149), ("max_duration_secs", .u64, 154),
            ("max_concurrent_runs", .usize, 161),
        ].map { name, width, line in
            Key(
                name, .unsigned(width), required: true, validator: .range(min: 1, max: nil),
                source: at(conf, line))
        }, validated: true)

    static let migration = Table(
        "MigrationConfig",
        [
            Key(
                "context_associations",
                .vector(
                    .structure(
                        "ContextEpochAssociation",
                        Table(
                            "ContextEpochAssociation",
                            [
                                Key(
                                    "context_id", .string, required: true, validator: .length(min: 1),
                                    source: at(conf, 80)),
                                Key("epoch_ids", .vector(.string), required: true, source: at(conf, 82)),
                            ], validated: true))), source: at(conf, 68))
        ], validated: true)

    /// `CoreConfig`, the root of a kms-server config file.
    package static let root = Table(
        "CoreConfig",
        [
            Key("service", .structure("ServiceEndpoint", service), required: true, source: at(conf, 23)),
            Key(
                "enclave_bootstrap",
                .structure(
                    "EnclaveBootstrapConfig",
                    Table(
                        "EnclaveBootstrapConfig",
                        [
                            Key(
                                "web_identity_token_port", .unsigned(.u16), required: true,
                                validator: .range(min: 1, max: 65535), source: at(conf, 185))
                        ], validated: true)), source: at(conf, 25)),
            Key("telemetry", .structure("TelemetryConfig", telemetry), source: at(conf, 27)),
            Key("aws", .structure("AWSConfig", aws), startUp: awsAtStartUp, source: at(conf, 29)),
            Key("public_vault", .structure("VaultConfig", vault), source: at(conf, 31)),
            Key("private_vault", .structure("VaultConfig", vault), source: at(conf, 33)),
            Key("backup_vault", .structure("VaultConfig", vault), source: at(conf, 35)),
            Key("rate_limiter_conf", .structure("RateLimiterConfig", rateLimiterConf), source: at(conf, 37)),
            Key(
                "bandwidth_benchmark", .structure("BandwidthBenchmarkConfig", bandwidthBenchmark),
                source: at(conf, 39)),
            Key("threshold", .structure("ThresholdPartyConf", threshold), source: at(conf, 41)),
            Key(
                "internal_config",
                .structure(
                    "InternalConfig",
                    Table(
                        "InternalConfig",
                        [
                            Key(
                                "num_tokio_threads", .unsigned(.usize), required: true,
                                validator: .range(min: 1, max: nil), source: at(conf, 89)),
                            Key(
                                "num_rayon_threads", .unsigned(.usize), required: true,
                                validator: .range(min: 1, max: nil), source: at(conf, 91)),
                        ], validated: true)), source: at(conf, 43)),
            Key("migration", .structure("MigrationConfig", migration), source: at(conf, 45)),
            // Exists only when kms-server is built with the `insecure` feature (the repo's Dockerfile does).
            Key("mock_enclave", .bool, source: at(conf, 47)),
        ], validated: true)
}
