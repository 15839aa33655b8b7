import Foundation
import TestSupport
import Testing

/// The shipped units pass `systemd-analyze verify` (when the machine has it), with ExecStart
/// pointed at the built binary in a temporary copy so the check can resolve it.
@Suite("systemd units")
struct SystemdUnitTests {
    static let analyze = Probe.executable(named: "systemd-analyze")

    @Test(
        "systemd-analyze verify accepts the service, the one-shot service and the timer",
        .enabled(if: analyze != nil, "systemd-analyze is not installed; the units cannot be verified"),
        .temporaryDirectory)
    func verify() throws {
        let analyze = try #require(Self.analyze)
        let source = TestPaths.packageRoot.appendingPathComponent("systemd")
        let copy = try TemporaryDirectory.current().url
        var units: [String] = []
        for name in ["kms-drift.service", "kms-drift-snapshot.service", "kms-drift-snapshot.timer"] {
            let text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
            units.append(
                try writeFile(
                    text.replacingOccurrences(of: "/usr/local/bin/kms-drift", with: CLI.binary.path),
                    to: copy.appendingPathComponent(name)))
        }
        // --man=no: the units' Documentation= names the man pages scripts/install writes, which
        // are not installed on a build machine.
        let result = try runProcess(analyze, ["verify", "--man=no"] + units)
        let text = result.stdout + result.stderr
        #expect(result.status == 0, "\(text)")
        #expect(!text.contains("Unknown key"), "\(text)")
    }

    @Test("the timer fires on a calendar, so Persistent= catches up a missed run")
    func timer() throws {
        let timer = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("systemd/kms-drift-snapshot.timer"),
            encoding: .utf8)
        #expect(timer.contains("OnCalendar="))
        #expect(timer.contains("Persistent=true"))
        let oneShot = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("systemd/kms-drift-snapshot.service"),
            encoding: .utf8)
        for line in [
            "ReadOnlyPaths=-/etc/kms", "AmbientCapabilities=CAP_DAC_READ_SEARCH", "KillMode=control-group",
        ] {
            #expect(oneShot.contains(line), "missing \(line)")
        }
    }

    @Test("the daemon unit has the hardening and notify settings the README promises")
    func hardening() throws {
        let unit = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("systemd/kms-drift.service"),
            encoding: .utf8)
        for line in [
            "Type=notify", "WatchdogSec=",
            "ExecReload=/usr/local/bin/kms-drift daemon --config /etc/kms-drift/kms-drift.toml --check-config\n"
                + "ExecReload=/bin/kill -HUP $MAINPID\n",
            "Restart=on-failure",
            "User=kms-drift",
            "StateDirectory=kms-drift", "StateDirectoryMode=0700", "ProtectSystem=strict",
            "ReadOnlyPaths=-/etc/kms", "LogsDirectory=kms-drift", "KillMode=control-group",
            "NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectHome=yes",
            "CapabilityBoundingSet=CAP_DAC_READ_SEARCH\n",
            "AmbientCapabilities=CAP_DAC_READ_SEARCH\n",
            "RestrictAddressFamilies=AF_UNIX", "SystemCallFilter=@system-service",
            "ProtectKernelTunables=yes",
            "LockPersonality=yes", "MemoryDenyWriteExecute=yes",
        ] {
            #expect(unit.contains(line), "missing \(line)")
        }
    }
}
