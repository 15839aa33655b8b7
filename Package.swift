// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "kms-drift",
    products: [
        .executable(name: "kms-drift", targets: ["kms-drift"]),
        // The TOML parser is the one library with a public API: no dependencies, positions on
        // every value. Every other module is `package`: used by its siblings only.
        .library(name: "TOML", targets: ["TOML"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Libraries take a `Logger`; only the executable bootstraps the key=value handler.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Certificates read as kms-server reads them (X.509, PEM, SANs, key match) by a maintained parser, not by hand.
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // TOML 1.0 / 1.1 parser with source positions. No dependencies on purpose:
        // it is the base of every other module and of the start-up-sensitive `check` path.
        .target(name: "TOML"),
        // The operating system, in one place: errno text, whole reads and writes, the one
        // directory walker and its include/exclude globs, mapped reads. Linux (Glibc) only.
        .target(name: "FileSystem"),
        // Normalise, diff, severity, redaction, report rendering.
        .target(
            name: "DriftCore",
            dependencies: [
                "TOML", "FileSystem",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // What kms-server accepts: its schema, the threshold and start-up rules, an environment's
        // policy, and the agreement across parties (consistency, network fingerprint).
        .target(
            name: "KMSValidation",
            dependencies: [
                "TOML", "FileSystem", "DriftCore",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]),
        // The system SQLite (libsqlite3-dev), GRDB style: module.modulemap + shim.h.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The system zstd: how new blobs are compressed (see BlobCompression.swift).
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        // What kms-server really runs: its layer files, environment and process, merged as its
        // loader (config-rs) merges them, every value with its origin; envsubst templates.
        .target(
            name: "EffectiveConfig",
            dependencies: ["TOML", "FileSystem", "DriftCore", "KMSValidation", "CCurl"]),
        // libcurl's headers (libcurl4-openssl-dev); the library itself is loaded with dlopen on the
        // first fetch of a URL (`GET /config`), so other commands do not pay for loading it and its
        // TLS stack. A maintained HTTP client in the one binary, for one bounded GET on loopback,
        // instead of AsyncHTTPClient + NIO + a second BoringSSL in a helper executable.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // The Ed25519 key files that sign the history's chain and a party's statements
        // (OpenSSH-style PEM): one loader for both, so neither module needs the other for a key.
        .target(
            name: "SigningKeys",
            dependencies: ["FileSystem", .product(name: "Crypto", package: "swift-crypto")]),
        // Content-addressed, rotating history in SQLite of what a snapshot source yields (the
        // walked directory, computed files).
        .target(
            name: "SnapshotStore",
            dependencies: [
                "CSQLite",
                "CZstd",
                "FileSystem",
                "SigningKeys",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Writing a snapshot's files back, byte-exact or not at all.
        .target(
            name: "SnapshotRestore",
            dependencies: ["SnapshotStore", "FileSystem", .product(name: "Crypto", package: "swift-crypto")]),
        // Signed statements of a party's network-shared configuration, and the check of the
        // network's statements against a keyring: the parties see whether they agree without
        // exchanging configs.
        .target(
            name: "NetworkAgreement",
            dependencies: [
                "TOML", "FileSystem", "DriftCore", "KMSValidation", "EffectiveConfig", "SigningKeys",
            ]),
        // The age v1 file format (https://age-encryption.org/v1), X25519 recipients only, on
        // swift-crypto: encrypted exports any operator opens with the standard `age` tool.
        .target(
            name: "Age", dependencies: ["FileSystem", .product(name: "Crypto", package: "swift-crypto")]),
        // libarchive's headers (libarchive-dev); the library itself is loaded with dlopen on the
        // first export or import, so that other commands do not pay for loading it (see shim.h).
        .systemLibrary(name: "CArchive", providers: [.apt(["libarchive-dev"])]),
        // Snapshots as portable archives: a POSIX tar (libarchive) holding a manifest and the
        // files, zstd frames straight from the store, encrypted with age; and back again.
        .target(
            name: "Backup",
            dependencies: [
                "Age", "CArchive", "CZstd", "DriftCore", "FileSystem", "SnapshotStore",
                "SnapshotRestore", "SigningKeys", "TOML",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // kms-drift's own configuration file (what to watch, the store, the reference, hooks), read
        // and validated only: what it means for a store or a cycle is DriftOperations'.
        .target(
            name: "DriftConfig",
            dependencies: ["TOML", "DriftCore", "KMSValidation", "Age", "FileSystem"]),
        // Every use case (the cycle, compare, baseline, restore, list, verify, export, import,
        // rebuild) as a value in, a result out that carries its exit status; and every renderer
        // and versioned output schema of those results. The executable only parses and prints.
        .target(
            name: "DriftOperations",
            dependencies: [
                "TOML", "DriftCore", "KMSValidation", "SnapshotStore", "DriftConfig", "FileSystem",
                "Age", "Backup", "EffectiveConfig", "NetworkAgreement", "SnapshotRestore", "SigningKeys",
            ]),
        // prctl (variadic, so not callable from Swift): hooks inherit no capability.
        .target(name: "CProcessShims"),
        // The daemon: the loop, watching, alerting and logging around the cycle of DriftOperations.
        .target(
            name: "DriftDaemon",
            dependencies: [
                "TOML", "DriftCore", "KMSValidation", "SnapshotStore", "DriftConfig", "DriftOperations",
                "FileSystem", "CProcessShims", "Backup", "EffectiveConfig", "NetworkAgreement",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The command line: it parses arguments, calls the libraries and prints; no logic a test would want to call.
        .executableTarget(
            name: "kms-drift",
            dependencies: [
                "TOML",
                "DriftCore",
                "KMSValidation",
                "SnapshotStore",
                "SnapshotRestore",
                "DriftConfig",
                "DriftOperations",
                "DriftDaemon",
                "FileSystem",
                "Age",
                "Backup",
                "EffectiveConfig",
                "NetworkAgreement",
                "SigningKeys",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // What the test targets share: scoped temporary directories, the package paths, one
        // process runner, a seeded random source, probes for skips (as ArgumentParserTestHelpers).
        .target(
            name: "TestSupport",
            dependencies: [
                "FileSystem", "TOML",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/TestSupport"),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        .testTarget(name: "TOMLTests", dependencies: ["TOML", "TestSupport"]),
        .testTarget(name: "FileSystemTests", dependencies: ["FileSystem"]),
        .testTarget(name: "AgeTests", dependencies: ["Age", "TestSupport"]),
        .testTarget(
            name: "DriftCoreTests", dependencies: ["DriftCore", "FileSystem", "TOML", "TestSupport"]),
        .testTarget(
            name: "KMSValidationTests", dependencies: ["KMSValidation", "DriftCore", "TOML", "TestSupport"]),
        .testTarget(
            name: "EffectiveConfigTests",
            dependencies: ["EffectiveConfig", "DriftCore", "KMSValidation", "TOML", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "SnapshotStoreTests",
            dependencies: [
                "SnapshotStore", "FileSystem", "SigningKeys", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(name: "BackupTests", dependencies: ["Backup", "SnapshotStore", "TestSupport"]),
        .testTarget(
            name: "SnapshotRestoreTests",
            dependencies: ["SnapshotRestore", "SnapshotStore", "FileSystem", "TestSupport"]),
        .testTarget(
            name: "NetworkAgreementTests",
            dependencies: [
                "NetworkAgreement", "SigningKeys", "SnapshotStore", "DriftCore", "KMSValidation", "TOML",
                "FileSystem", "TestSupport",
            ]),
        .testTarget(
            name: "DriftConfigTests", dependencies: ["DriftConfig", "DriftCore", "TOML", "TestSupport"]),
        .testTarget(
            name: "DriftOperationsTests",
            dependencies: [
                "DriftOperations", "Age", "Backup", "DriftConfig", "SnapshotStore", "DriftCore", "TOML",
                "FileSystem", "KMSValidation", "TestSupport",
            ]),
        .testTarget(
            name: "DriftDaemonTests",
            dependencies: [
                "DriftDaemon", "DriftOperations", "Age", "Backup", "DriftConfig", "SnapshotStore",
                "DriftCore", "TOML",
                "FileSystem", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]),
        // Runs the built binary end to end; depends on it so `swift test` builds it first.
        .testTarget(name: "CLITests", dependencies: ["kms-drift", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
