import Foundation
import TestSupport
import Testing

/// The daemon reads the certificates its watched kms-server config names each cycle and raises an
/// expiry once per stage, with the metric a central Prometheus alerts on.
@Suite("daemon: certificate expiry (process)", .temporaryDirectory)
struct CertificateDaemonTests {
    @Test(
        "a certificate expiring in 20 days: one `expiring` event and the metric; nothing more on later cycles"
    )
    func expiringOnce() throws {
        // tls.rs:296 and :397: once it expires every handshake with party 1 fails; 20 days is inside 30.
        let root = try TemporaryDirectory.current()
        let watched = root.path("watched")
        let soon = try TestCertificates.make(
            commonName: "p1.kms.example", validUntil: Date().addingTimeInterval(20 * 86_400 + 3_600))
        try TLSNetwork.writeCertificates(in: watched, party1: soon)
        _ = try root.write("watched/kms.toml", TLSNetwork.config())
        let events = root.path("events.jsonl")
        let metrics = root.path("kms-drift.prom")
        let config = try root.write(
            "kms-drift.toml",
            """
            [watch]
            directory = "\(watched)"
            [store]
            database = "\(root.path("history.db"))"
            [schedule]
            interval_seconds = 1
            [validate]
            kms_config = "kms.toml"
            [log]
            json_file = "\(events)"
            [metrics]
            textfile = "\(metrics)"
            """)
        let daemon = try DaemonProcess(arguments: ["--config", config], in: root.url)
        #expect(daemon.waitForNotification { $0.contains("READY=1") } != nil, "no READY: \(daemon.stderr)")
        let first = try #require(daemon.waitForCycle(atLeast: 1), "no cycle: \(daemon.stderr)")
        // Three more cycles: the state is in the store, so they raise nothing.
        #expect(daemon.waitForCycle(atLeast: first + 3) != nil, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)

        let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
        let expiring = lines.filter { $0.contains("\"event\":\"expiring\"") }
        #expect(expiring.count == 1, "\(lines)")
        let event = try #require(expiring.first)
        #expect(event.contains("certificate certs/cert_p1.pem (subject p1.kms.example) expires in 20 days"))
        #expect(event.contains("\"max_severity\":\"warning\""))
        #expect(daemon.stderr.contains("event=expiring"))

        let exposition = try String(contentsOfFile: metrics, encoding: .utf8)
        let expected = Int64(soon.validUntilSeconds)
        #expect(
            exposition.contains(
                "kms_drift_certificate_expiry_timestamp_seconds{path=\"certs/cert_p1.pem\",subject=\"p1.kms.example\"} \(expected)\n"
            ), "\(exposition)")
        #expect(exposition.contains("subject=\"p4.kms.example\""))
    }
}
