import DriftCore
import Foundation
import Logging
import SnapshotStore
import TestSupport
import Testing

@testable import DriftDaemon

/// The output formats an operator's tools read: the log line, the metrics file, sd_notify.
@Suite("Log lines, metrics, sd_notify", .temporaryDirectory)
struct LogAndMetricsTests {
    @Test("journal lines carry the sd-daemon priority; fields come in a fixed order; spaces are quoted")
    func logLine() {
        let metadata: Logger.Metadata = [
            "keys": "a.toml:x,b c.toml:y", "event": "drift", "critical": "1", "zeta": "z", "snapshot": "7",
        ]
        let line = LogLineFormat.line(
            level: .critical, message: "drifted", metadata: metadata, journal: true, time: "")
        #expect(
            line == "<2>event=drift snapshot=7 critical=1 keys=\"a.toml:x,b c.toml:y\" zeta=z msg=drifted")
        let plain = LogLineFormat.line(
            level: .warning, message: "", metadata: ["event": "drift"], journal: false, time: "T")
        #expect(plain == "T warning event=drift")
        #expect(LogLineFormat.priority(of: .warning) == 4)
        #expect(LogLineFormat.priority(of: .info) == 6)
        #expect(LogLineFormat.priority(of: .error) == 3)
        #expect(LogLineFormat.quoted("line\nbreak \"q\"") == "\"line\\nbreak \\\"q\\\"\"")
        #expect(LogLineFormat.quoted("") == "\"\"")
    }

    @Test("the metrics file is replaced atomically with HELP and TYPE lines")
    func metrics() throws {
        let directory = try TemporaryDirectory.current()
        var metrics = CycleMetrics()
        metrics.lastSnapshotTimestamp = 1_700_000_000
        metrics.cycleDurationSeconds = 0.0125
        metrics.differences = [.critical: 2]
        metrics.errorsTotal = 3
        metrics.hookFailuresTotal = 1
        let path = directory.path("kms-drift.prom")
        try metrics.write(to: path)
        let text = try directory.readText("kms-drift.prom")
        #expect(text.contains("# TYPE kms_drift_errors_total counter\nkms_drift_errors_total 3\n"))
        #expect(text.contains("kms_drift_differences{severity=\"critical\"} 2\n"))
        #expect(text.contains("kms_drift_differences{severity=\"info\"} 0\n"))
        #expect(text.contains("kms_drift_cycle_duration_seconds 0.012500\n"))
        #expect(text.contains("kms_drift_hook_failures_total 1\n"))
        #expect(text.contains("# HELP kms_drift_last_snapshot_timestamp_seconds"))
        #expect(!text.contains("kms_drift_chain_head_info"), "no head before the first snapshot")
        let head = ContentHash(bytes: [UInt8](repeating: 0xab, count: 32))
        metrics.chainHead = (SnapshotID(12), head)
        try metrics.write(to: path)
        #expect(
            try directory.readText("kms-drift.prom").contains(
                "# TYPE kms_drift_chain_head_info gauge\nkms_drift_chain_head_info{snapshot=\"12\",chain=\"sha256:\(head.hex)\"} 1\n"
            ))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["kms-drift.prom"])
        #expect(throws: AlertingError.self) { try metrics.write(to: directory.path("missing/x.prom")) }
    }

    @Test("sd_notify reaches a path socket and an abstract one")
    func notify() throws {
        let directory = try TemporaryDirectory.current()
        for address in [directory.path("notify"), "@kms-drift-test-\(getpid())"] {
            let listener = try DatagramListener(address: address)
            let notifier = try #require(SystemdNotifier(address: address))
            #expect(notifier.notify("READY=1\nSTATUS=cycle 1: no drift"))
            #expect(listener.receive() == "READY=1\nSTATUS=cycle 1: no drift")
        }
        #expect(SystemdNotifier(address: "relative/path") == nil)
    }
}

/// A bound Unix datagram socket, as systemd's notify socket is.
final class DatagramListener {
    let descriptor: Int32

    init(address: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        var path = Array(address.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        withUnsafeMutableBytes(of: &storage.sun_path) { buffer in
            for (index, byte) in path.enumerated() { buffer[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count < 0 ? nil : String(decoding: buffer.prefix(count), as: UTF8.self)
    }
}
