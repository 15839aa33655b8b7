import DriftConfig
import DriftCore
import EffectiveConfig
import FileSystem
import SnapshotStore
import TOML

/// `[effective]`: what kms-server really runs, observed once per cycle, recorded in the snapshot
/// as virtual files and compared with the reference by meaning.
///
/// - `@effective/kms-server.toml`: what the disk (layers + environment) gives, each value's origin
///   as a comment. Compared with the reference's `reference_file`; differences name their origin.
/// - `@live/config.json`: what the process reports on `GET /config` (the raw body). Compared with
///   the reference (critical: it is what runs) and with the disk (`pending-restart`).
/// - `@layers/<path>`: each layer file outside the watched directory (a shadow
///   `/etc/config/kms_core.toml`), compared like any TOML file, so one appearing is critical.
struct EffectiveWatch {
    static let effectivePath = EffectiveConfiguration.virtualPath
    static let livePath = LiveConfiguration.virtualPath
    static let layersPrefix = "@layers/"

    let settings: EffectiveSettings
    let watchedDirectory: String

    /// What one observation found.
    struct Observation {
        var effective: EffectiveConfiguration?
        var live: EffectiveConfiguration?
        var virtualFiles: [VirtualFile] = []
        /// Why the effective or live configuration could not be read (one `error` event each).
        var problems: [CycleProblem] = []
    }

    func observe() -> Observation {
        var observation = Observation()
        do {
            let pid = try processID()
            let sources = EffectiveSources(
                configFile: settings.configFile,
                workingDirectory: settings.workingDirectory ?? (pid == nil ? watchedDirectory : nil),
                runMode: settings.runMode, envFiles: settings.envFiles, pid: pid,
                etcConfigDirectory: settings.etcConfigDirectory)
            let effective = try sources.builder().build()
            observation.effective = effective
            observation.virtualFiles.append(
                VirtualFile(
                    path: Self.effectivePath,
                    bytes: Array(
                        effective.toml(showOrigin: true, secrets: SecretPolicy(showSecrets: true)).utf8)))
            for layer in effective.layers {
                if let path = Self.layerPath(of: layer.path, watchedDirectory: watchedDirectory),
                    let bytes = try? FileContents.read(layer.path)
                {
                    observation.virtualFiles.append(VirtualFile(path: path, bytes: bytes))
                }
            }
        } catch {
            observation.problems.append(
                CycleProblem(
                    kind: .effective, identity: "effective|" + ProblemIdentity.of(error),
                    message: "the effective configuration: \(error)"))
        }
        if let url = settings.url {
            let endpoint = LiveFetch(
                url: url, timeout: settings.timeout, allowRemote: settings.allowRemote)
            do {
                let body = try endpoint.fetchBody()
                observation.live = try LiveConfiguration.parse(body, source: url)
                observation.virtualFiles.append(VirtualFile(path: Self.livePath, bytes: body))
            } catch {
                observation.problems.append(
                    CycleProblem(
                        kind: .effective, identity: "live|" + ProblemIdentity.of(error), message: "\(error)"))
            }
        }
        return observation
    }

    /// kms-server's pid from `pid_file` or `process_name`; nil when neither is set.
    func processID() throws(EffectiveConfigError) -> Int32? {
        if let pidFile = settings.pidFile {
            let text: String
            do {
                text = String(decoding: try FileContents.read(pidFile), as: UTF8.self)
            } catch {
                throw .unreadable(path: pidFile, reason: error.description)
            }
            guard let pid = Int32(text.trimmingWhitespace()) else {
                throw .unreadable(path: pidFile, reason: "it does not hold a process id")
            }
            return pid
        }
        guard let name = settings.processName else { return nil }
        guard let pid = ProcessInspection.pid(named: name) else {
            throw .process(
                pid: 0, path: "/proc/*/comm", reason: "no process named \(name) runs",
                fix: "start kms-server, or set [effective] process_name to its name")
        }
        return pid
    }

    /// Where a snapshot records the layer file `path`: `@layers/<path>` when it lies outside the
    /// watched directory; nil inside it, where the walk records it under its own name.
    static func layerPath(of path: String, watchedDirectory: String) -> String? {
        let root = watchedDirectory.hasSuffix("/") ? watchedDirectory : watchedDirectory + "/"
        guard !path.hasPrefix(root) else { return nil }
        return layersPrefix + (path.hasPrefix("/") ? String(path.dropFirst()) : path)
    }
}
