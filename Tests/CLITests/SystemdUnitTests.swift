import Foundation
import Testing

/// The shipped units pass `systemd-analyze verify` (when the machine has it), with ExecStart
/// pointed at the built binary in a temporary copy so the check can resolve it.
@Suite("systemd units")
struct SystemdUnitTests {
    static let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test("systemd-analyze verify accepts the service, the one-shot service and the timer")
    func verify() throws {
        guard let analyze = Self.analyze else {
            print("SKIPPED: systemd-analyze is not installed; the units were not verified")
            return
        }
        let source = CLI.packageRoot.appendingPathComponent("systemd")
        let copy = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: copy) }
        var units: [String] = []
        for name in ["kms-drift.service", "kms-drift-snapshot.service", "kms-drift-snapshot.timer"] {
            let text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
            units.append(
                try CLI.write(
                    text.replacingOccurrences(of: "/usr/local/bin/kms-drift", with: CLI.binary.path),
                    to: copy.appendingPathComponent(name)))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: analyze)
        process.arguments = ["verify"] + units
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(!text.contains("Unknown key"), "\(text)")
    }

    @Test("the daemon unit has the hardening and notify settings the README promises")
    func hardening() throws {
        let unit = try String(
            contentsOf: CLI.packageRoot.appendingPathComponent("systemd/kms-drift.service"), encoding: .utf8)
        for line in [
            "Type=notify", "WatchdogSec=", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure",
            "User=kms-drift",
            "StateDirectory=kms-drift", "StateDirectoryMode=0700", "ProtectSystem=strict",
            "ReadOnlyPaths=/etc/kms",
            "NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectHome=yes", "CapabilityBoundingSet=\n",
            "RestrictAddressFamilies=AF_UNIX", "SystemCallFilter=@system-service",
            "ProtectKernelTunables=yes",
            "LockPersonality=yes", "MemoryDenyWriteExecute=yes",
        ] {
            #expect(unit.contains(line), "missing \(line)")
        }
    }
}
