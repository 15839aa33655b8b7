import DriftConfig
import DriftCore
import FileSystem
import Foundation
import SnapshotStore
import TestSupport
import Testing

@testable import DriftOperations

/// `[effective]` in one cycle, without a live endpoint: drift injected through the environment
/// names its variable, and a shadow layer appearing is critical.
@Suite("The cycle with [effective]")
struct EffectiveCycleTests {
    static let reference = """
        [service]
        listen_address = "0.0.0.0"
        listen_port = 50100

        [public_vault.storage.s3]
        bucket = "kms-public"
        """

    @Test func environmentDriftNamesItsVariableAndAShadowLayerIsCritical() throws {
        try withTemporaryDirectory { directory in
            let watched = try directory.subdirectory("watched")
            try watched.write("kms-server.toml", Self.reference)
            let gitops = try directory.subdirectory("gitops")
            try gitops.write("kms-server.toml", Self.reference)
            let env = try directory.write("party.env", "KMS_CORE__SERVICE__LISTEN_PORT=50100\n")

            var configuration = DriftConfiguration(
                watchedDirectory: watched.path, databasePath: directory.path("history.db"))
            configuration.reference = .directory(gitops.path)
            var settings = EffectiveSettings()
            settings.configFile = watched.path("kms-server.toml")
            settings.workingDirectory = directory.path("work")
            settings.envFiles = [env]
            settings.etcConfigDirectory = directory.path("etc-config")
            configuration.effective = settings
            let store = try SnapshotStore(path: configuration.databasePath)
            let cycle = DriftCycle(configuration: configuration)

            let first = try cycle.run(on: store)
            #expect(first.report?.isClean == true, "\(String(describing: first.report?.files.map(\.path)))")
            #expect(first.problems.isEmpty, "\(first.problems)")
            #expect(first.networkFingerprint?.hasPrefix("sha256:") == true)
            let recorded = try store.contents(of: "@effective/kms-server.toml", in: .id(first.snapshot.id))
            #expect(
                String(decoding: recorded, as: UTF8.self).contains("# env KMS_CORE__SERVICE__LISTEN_PORT"))

            // The file is unchanged; the environment moves the bucket.
            try directory.write(
                "party.env",
                "KMS_CORE__SERVICE__LISTEN_PORT=50100\nKMS_CORE__PUBLIC_VAULT__STORAGE__S3__BUCKET=kms-elsewhere\n"
            )
            let drifted = try cycle.run(on: store)
            let effective = try #require(
                drifted.report?.files.first { $0.path == "@effective/kms-server.toml" })
            let difference = try #require(effective.differences.first)
            #expect(difference.path.description == "public_vault.storage.s3.bucket")
            #expect(difference.origin == "set by env `KMS_CORE__PUBLIC_VAULT__STORAGE__S3__BUCKET`")
            #expect(
                drifted.report?.files.map(\.path) == ["@effective/kms-server.toml"],
                "the file itself did not change")
            #expect(drifted.events.map(\.kind) == [.drift])

            // Back, then a shadow /etc/config layer appears.
            try directory.write("party.env", "KMS_CORE__SERVICE__LISTEN_PORT=50100\n")
            #expect(try cycle.run(on: store).events.map(\.kind) == [.recovered])
            try directory.write(
                "etc-config/kms_core.toml", "[telemetry]\ntracing_service_name = \"shadow\"\n")
            let shadowed = try cycle.run(on: store)
            let layer = try #require(shadowed.report?.files.first { $0.path.hasPrefix("@layers/") })
            #expect(layer.status == .added)
            #expect(layer.fileSeverity == .critical)
            #expect(layer.path == "@layers/" + String(directory.path("etc-config/kms_core.toml").dropFirst()))
            let telemetry = try #require(
                shadowed.report?.files.first { $0.path == "@effective/kms-server.toml" })
            // The reference has no [telemetry]: the whole table is added, from the shadow layer's header.
            #expect(telemetry.differences.first?.path.description == "telemetry")
            #expect(
                telemetry.differences.first?.origin == "by \(directory.path("etc-config/kms_core.toml")):1")
        }
    }

    /// The Kubernetes layout: kms-server's config file is mounted outside the watched directory.
    /// Against a reference directory it is compared by meaning with `reference_file`, not reported
    /// as a file added; a shadow layer appearing still is; `[watch] exclude` reaches `@layers/`.
    @Test func aConfigFileOutsideTheWatchedDirectoryIsNotAFileAdded() throws {
        try withTemporaryDirectory { directory in
            let watched = try directory.subdirectory("watched")
            try watched.write("other.toml", "a = 1\n")
            let mounted = try directory.subdirectory("mounted")
            try mounted.write("kms-server.toml", Self.reference)
            let gitops = try directory.subdirectory("gitops")
            try gitops.write("other.toml", "a = 1\n")
            try gitops.write("kms-server.toml", Self.reference)

            var configuration = DriftConfiguration(
                watchedDirectory: watched.path, databasePath: directory.path("history.db"))
            configuration.reference = .directory(gitops.path)
            var settings = EffectiveSettings()
            settings.configFile = mounted.path("kms-server.toml")
            settings.workingDirectory = directory.path("work")
            settings.etcConfigDirectory = directory.path("etc-config")
            configuration.effective = settings
            let store = try SnapshotStore(path: configuration.databasePath)

            let first = try DriftCycle(configuration: configuration).run(on: store)
            #expect(first.report?.isClean == true, "\(String(describing: first.report?.files.map(\.path)))")
            #expect(first.events.isEmpty)
            let layer = "@layers/" + String(mounted.path("kms-server.toml").dropFirst())
            #expect(try store.contents(of: layer, in: .id(first.snapshot.id)) == Array(Self.reference.utf8))

            // A value changed in the mounted file is drift, named by meaning.
            try mounted.write(
                "kms-server.toml", Self.reference.replacingOccurrences(of: "50100", with: "50200"))
            let changed = try DriftCycle(configuration: configuration).run(on: store)
            #expect(changed.report?.files.map(\.path) == ["@effective/kms-server.toml"])

            // A shadow layer appearing is still a file added, and critical.
            try mounted.write("kms-server.toml", Self.reference)
            try directory.write(
                "etc-config/kms_core.toml", "[telemetry]\ntracing_service_name = \"shadow\"\n")
            let shadowed = try DriftCycle(configuration: configuration).run(on: store)
            let shadow = try #require(shadowed.report?.files.first { $0.path.hasPrefix("@layers/") })
            #expect(shadow.status == .added)
            #expect(shadow.fileSeverity == .critical)

            // Excluded by its `@…` path, the shadow is not recorded (its values still reach @effective).
            configuration.watchFilter = try PathFilter(include: [], exclude: ["@layers/**/etc-config/**"])
            let excluded = try DriftCycle(configuration: configuration).run(on: store)
            #expect(excluded.report?.files.contains { $0.path.hasPrefix("@layers/") } == false)
            #expect(excluded.report?.files.map(\.path) == ["@effective/kms-server.toml"])
        }
    }
}
