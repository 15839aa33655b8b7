import DriftConfig
import DriftCore
import Foundation
import SnapshotStore
import TestSupport
import Testing

@testable import DriftOperations

/// The stages of a certificate's expiry, each raised once (tls.rs:296 and :397: an expired
/// certificate fails every handshake with its party), with the cycle's clock moved forward.
@Suite("certificate expiry in the cycle", .temporaryDirectory)
struct CertificateExpiryTests {
    @Test(
        "30 days: warning; 7 days: critical; expired: critical; each once; a renewed certificate starts again"
    )
    func stagesOnce() throws {
        let root = try TemporaryDirectory.current()
        let watched = root.path("watched")
        let start = Date()
        let certificate = try TestCertificates.make(
            commonName: "p1.kms.example", validUntil: start.addingTimeInterval(20 * 86_400 + 3_600))
        try TLSNetwork.writeCertificates(in: watched, party1: certificate)
        _ = try root.write("watched/kms.toml", TLSNetwork.config())
        var configuration = DriftConfiguration(watchedDirectory: watched, databasePath: root.path("h.db"))
        configuration.validatedConfig = "kms.toml"
        let store = try SnapshotStore(path: configuration.databasePath)
        func expiring(afterDays days: Double) throws -> [DriftEvent] {
            let now = Int64(start.timeIntervalSince1970 + days * 86_400)
            return try DriftCycle(configuration: configuration, now: { now }).run(on: store).events.filter {
                $0.kind == .expiring
            }
        }
        let first = try expiring(afterDays: 0)
        #expect(first.map(\.severity) == [.warning])
        #expect(first.first?.message?.contains("expires in 20 days") == true)
        #expect(try expiring(afterDays: 1).isEmpty)
        let week = try expiring(afterDays: 14)
        #expect(week.map(\.severity) == [.critical])
        #expect(week.first?.message?.contains("expires in 6 days") == true)
        #expect(try expiring(afterDays: 15).isEmpty)
        let expired = try expiring(afterDays: 21)
        #expect(expired.map(\.severity) == [.critical])
        #expect(expired.first?.message?.contains("expired on") == true)
        #expect(try expiring(afterDays: 22).isEmpty)
        // A renewed certificate (another expiry) is a new certificate for the alert state.
        let renewed = try TestCertificates.make(
            commonName: "p1.kms.example", validUntil: start.addingTimeInterval(45 * 86_400))
        try TLSNetwork.writeCertificates(in: watched, party1: renewed)
        #expect(try expiring(afterDays: 22).map(\.severity) == [.warning])
        #expect(try expiring(afterDays: 23).isEmpty)
    }
}
