// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "kms-drift",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "TOML", targets: ["TOML"]),
        .library(name: "SnapshotStore", targets: ["SnapshotStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // TOML 1.0 / 1.1 parser with source positions. No dependencies on purpose:
        // it is the base of every other module and of the start-up-sensitive `check` path.
        .target(name: "TOML"),
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
        // Content-addressed, rotating history of a directory in SQLite, plus restore.
        .target(
            name: "SnapshotStore",
            dependencies: [
                "CSQLite",
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "SnapshotStoreTests", dependencies: ["SnapshotStore"]),
    ],
    swiftLanguageModes: [.v6]
)
