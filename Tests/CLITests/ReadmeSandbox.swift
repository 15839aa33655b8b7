import Foundation
import TestSupport

/// A node in a temporary directory, laid out so the README's examples run as written: the
/// files they name, a watched directory, a GitOps reference, an installed configuration with a
/// history, and the demo. Absolute paths of the README are mapped into it by `pathTable`;
/// nothing outside the directory is read or written.
struct ReadmeSandbox {
    let directory: TemporaryDirectory

    /// The README's absolute paths and where they are in the sandbox (relative to its root).
    /// A longer path is listed before a shorter one it starts with.
    static let pathTable: [(readme: String, sandbox: String)] = [
        ("/etc/kms-drift", "etc/kms-drift"),  // the installed configuration
        ("/etc/kms", "etc/kms"),  // the watched KMS config directory
        ("/var/lib/kms-drift", "var/lib/kms-drift"),  // the history (StateDirectory=)
        ("/srv/gitops", "srv/gitops"),  // a GitOps checkout used as the reference
        ("/srv/restore", "srv/restore"),  // a directory to restore into
        ("/backup", "backup"),  // where a copy of the store goes
    ]

    /// Absolute paths a line may use as they are.
    static let allowedAbsolutePaths: Set<String> = ["/dev/null"]

    /// Snapshots already in the history before a block runs, so `#11` and `#12` exist as on a
    /// node that has been running for a while (a cycle that finds nothing changed stores none).
    /// The first is the baseline.
    static let snapshotsTaken = 12

    /// The installed configuration, passed as `KMS_DRIFT_CONFIG` (as `/etc/kms-drift/kms-drift.toml` on a node).
    var configurationPath: String { directory.path("etc/kms-drift/kms-drift.toml") }

    /// Where `kms-drift` is found on `PATH` in shell lines.
    var binDirectory: String { directory.path("bin") }

    /// Lays out the sandbox in `directory`.
    init(in directory: TemporaryDirectory) throws {
        self.directory = directory
        let demo = TestPaths.packageRoot.appendingPathComponent("config")
        let reference = try String(
            contentsOf: demo.appendingPathComponent("demo/reference/kms-server.toml"), encoding: .utf8)
        let current = try String(
            contentsOf: demo.appendingPathComponent("demo/current/kms-server.toml"), encoding: .utf8)

        // The demo, as in the repository (its database goes to ../.build, relative to the file).
        try FileManager.default.copyItem(at: demo, to: directory.url("config"))
        try directory.makeDirectory(".build/release")
        try directory.makeDirectory("bin")
        for link in [".build/release/kms-drift", "bin/kms-drift"] {
            try FileManager.default.createSymbolicLink(
                atPath: directory.path(link), withDestinationPath: CLI.binary.path)
        }

        // Two files for `check`: the demo's reference and its drifted current config; and two
        // that differ only under `telemetry` (what `--ignore 'telemetry.*'` drops).
        try directory.write("ref.toml", reference)
        try directory.write("cur.toml", current)
        try directory.write("a.toml", reference)
        let renamed = reference.replacingOccurrences(
            of: "tracing_service_name = \"kms-production-party1\"",
            with: "tracing_service_name = \"kms-prod-party1\"")
        precondition(renamed != reference, "config/demo/reference no longer sets tracing_service_name")
        try directory.write("b.toml", renamed)

        // Thirteen parties for `consistency` / `fingerprint`, and the operators' guide's example.
        for (party, text) in try Self.parties().enumerated() {
            try directory.write("party\(party + 1).toml", text)
            try directory.write("node\(party + 1).toml", text)
        }
        try directory.write("guide.toml", try Self.guide())

        // The node: the watched directory (party 1 today) and the GitOps reference, each with certificates.
        for (root, config) in [("etc/kms", current), ("srv/gitops/kms-node", reference)] {
            try directory.write(root + "/kms-server.toml", config)
            for party in 1...4 {
                try directory.write(root + "/certs/cert_p\(party).pem", Self.certificate(party))
            }
        }
        try directory.makeDirectory("backup")
        try FileManager.default.createDirectory(
            atPath: directory.path("var/lib/kms-drift"), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])

        // The installed configuration, written with the README's paths and mapped like a line.
        try directory.write(
            "etc/kms-drift/kms-drift.toml",
            map(
                """
                [watch]
                directory = "/etc/kms"

                [store]
                database = "/var/lib/kms-drift/kms-drift.db"
                keep = 10

                [reference]
                mode = "baseline"

                """), mode: 0o640)

        for _ in 0..<Self.snapshotsTaken {
            let result = try CLI.run(
                // With a note, an unchanged state is stored too: ten snapshots, not one checked ten times.
                ["snapshot", "--note", "a cycle of the node's history"], environment: environment([:]),
                currentDirectory: directory.url)
            guard result.status == 0 else {
                throw SandboxError(
                    reason:
                        "preparing the history: kms-drift snapshot exited \(result.status): \(result.stderr)")
            }
        }
    }

    /// The environment a line runs with: the sandbox's configuration and `kms-drift` on `PATH`.
    func environment(_ assignments: [String: String]) -> [String: String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return assignments.merging(
            ["KMS_DRIFT_CONFIG": configurationPath, "PATH": binDirectory + ":" + path]) { line, _ in line }
    }

    /// `text` with every README absolute path of `pathTable` replaced by its place in the
    /// sandbox. A path is replaced where it starts (after a space, a quote, `=`, `@` or the
    /// start) and ends (at `/`, a space, a quote or the end): `/etc/kms` never matches `/etc/kmsx`.
    func map(_ text: String) -> String {
        Self.map(text, root: directory.path)
    }

    static func map(_ text: String, root: String) -> String {
        var result = text
        for (readme, sandbox) in pathTable {
            var output = ""
            var rest = result[...]
            while let found = rest.range(of: readme) {
                let before =
                    found.lowerBound == rest.startIndex
                    ? output.last : rest[rest.index(before: found.lowerBound)]
                let after = found.upperBound == rest.endIndex ? nil : rest[found.upperBound]
                let startsHere = before == nil || " \t'\"=@(".contains(before!)
                let endsHere = after == nil || "/ \t'\")".contains(after!)
                output += rest[..<found.lowerBound]
                output += startsHere && endsHere ? root + "/" + sandbox : readme
                rest = rest[found.upperBound...]
            }
            output += rest
            result = output
        }
        return result
    }

    /// An absolute path in `arguments` that the path table did not map (and may not be used as
    /// it is), or nil: a README line must never reach the machine's real /etc.
    func unmappedAbsolutePath(in words: [String]) -> String? {
        words.first { word in
            let path = word.drop { $0 != "/" }  // also `--db=/x`
            guard word.hasPrefix("/") || word.contains("=/") else { return false }
            return !path.hasPrefix(directory.path + "/") && !Self.allowedAbsolutePaths.contains(String(path))
        }
    }

    /// Party 1…13 of a 13-party network, in the format kms-server accepts (generated once).
    private static func parties() throws -> [String] {
        try GeneratedParties.serverConfigs.get()
    }

    /// The operators' guide's example config (`gen_workload.py party --style guide`).
    private static func guide() throws -> String {
        try GeneratedParties.guideConfig.get()
    }

    /// A PEM-shaped test certificate (not a real one: the examples compare bytes, never parse it).
    private static func certificate(_ party: Int) -> String {
        "-----BEGIN CERTIFICATE-----\nTUlJQmtEQ0NBVGFn\(party)QXdJQkFnSVVleGFtcGxl\n-----END CERTIFICATE-----\n"
    }
}

/// The sandbox could not be prepared.
struct SandboxError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
