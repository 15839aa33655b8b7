// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "kms-drift",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "TOML", targets: ["TOML"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // TOML 1.0 / 1.1 parser with source positions. No dependencies on purpose:
        // it is the base of every other module and of the start-up-sensitive `check` path.
        .target(name: "TOML"),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"]),
    ],
    swiftLanguageModes: [.v6]
)
