// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "kms-drift",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kms-drift", targets: ["kms-drift"]),
        .library(name: "TOML", targets: ["TOML"]),
        .library(name: "SnapshotStore", targets: ["SnapshotStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Libraries take a `Logger`; only the executable bootstraps the key=value handler.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // TOML 1.0 / 1.1 parser with source positions. No dependencies on purpose:
        // it is the base of every other module and of the start-up-sensitive `check` path.
        .target(name: "TOML"),
        // Normalise, diff, severity, redaction, KMS schema validation, report rendering.
        .target(
            name: "DriftCore",
            dependencies: [
                "TOML",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The system SQLite (libsqlite3-dev), GRDB style: module.modulemap + shim.h.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The system zlib: blob compression without a package to build (see BlobCompression.swift).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The system zstd: how new blobs are compressed (see BlobCompression.swift).
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        // What kms-server really runs: its layer files, environment and process, merged as its
        // loader (config-rs) merges them, every value with its origin; envsubst templates.
        .target(name: "EffectiveConfig", dependencies: ["TOML", "DriftCore"]),
        // Content-addressed, rotating history of a directory in SQLite, plus restore.
        .target(
            name: "SnapshotStore",
            dependencies: [
                "CSQLite",
                "CZlib",
                "CZstd",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The daemon's configuration, one cycle (snapshot → compare → rotate → alert), the loop.
        .target(
            name: "DriftDaemon",
            dependencies: [
                "TOML", "DriftCore", "SnapshotStore",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The command line: argument parsing and printing only; the logic lives in the libraries.
        .executableTarget(
            name: "kms-drift",
            dependencies: [
                "TOML",
                "DriftCore",
                "SnapshotStore",
                "DriftDaemon",
                "EffectiveConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"]),
        .testTarget(name: "DriftCoreTests", dependencies: ["DriftCore", "TOML"]),
        .testTarget(name: "EffectiveConfigTests", dependencies: ["EffectiveConfig", "DriftCore", "TOML"]),
        .testTarget(name: "SnapshotStoreTests", dependencies: ["SnapshotStore"]),
        .testTarget(
            name: "DriftDaemonTests",
            dependencies: [
                "DriftDaemon", "SnapshotStore", "DriftCore", "TOML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]),
        // Runs the built binary end to end; depends on it so `swift test` builds it first.
        .testTarget(name: "CLITests", dependencies: ["kms-drift"]),
    ],
    swiftLanguageModes: [.v6]
)
