import DriftConfig
import DriftCore
import Foundation
import SnapshotStore
import TestSupport
import Testing

@testable import DriftDaemon

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
}
