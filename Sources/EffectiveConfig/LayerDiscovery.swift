import FileSystem

/// Where kms-server looks for its configuration files, slot by slot, in the order it merges
/// them (`observability/src/conf.rs`, config-rs's `File::with_name`):
/// `config/default.*`, `config/kms_core.*`, `config/kms_core-<RUN_MODE>.*`,
/// `/etc/config/kms_core.toml` (all optional, relative ones to the working directory), then the
/// `--config-file` (required).
package struct LayerDiscovery: Sendable {
    /// The formats config-rs is built with by default, with their extensions, in the order
    /// kms-drift tries them. config-rs itself iterates a `HashMap`, so when two of them exist
    /// kms-server picks one at random at each start: kms-drift reports that.
    package static let extensions: [(format: LayerFormat, extensions: [String])] = [
        (.toml, ["toml"]), (.json, ["json"]), (.other("yaml"), ["yaml", "yml"]), (.other("ini"), ["ini"]),
        (.other("ron"), ["ron"]), (.other("json5"), ["json5"]),
    ]

    /// kms-server's `--config-file` default.
    package static let defaultConfigFile = "config/default_1.toml"

    package let workingDirectory: String
    package let runMode: RunMode
    /// `/etc/config` in production; a test root in tests.
    package let etcConfigDirectory: String
    package let configFile: String
    /// False to read only the `--config-file` (a plain `validate FILE --env-file E`), true for
    /// every slot kms-server searches.
    package let searchesLayers: Bool

    package init(
        workingDirectory: String = ".", runMode: RunMode = .local, etcConfigDirectory: String = "/etc/config",
        configFile: String? = nil, searchesLayers: Bool = true
    ) {
        self.workingDirectory = workingDirectory
        self.runMode = runMode
        self.etcConfigDirectory = etcConfigDirectory
        self.configFile = configFile ?? Self.defaultConfigFile
        self.searchesLayers = searchesLayers
    }

    /// The slots in merge order.
    package var slots: [LayerSlot] {
        let configFileSlot = LayerSlot(name: "--config-file", base: resolve(configFile), required: true)
        guard searchesLayers else { return [configFileSlot] }
        return [
            LayerSlot(name: "config/default", base: resolve("config/default"), required: false),
            LayerSlot(name: "config/kms_core", base: resolve("config/kms_core"), required: false),
            LayerSlot(
                name: "config/kms_core-\(runMode.rawValue)",
                base: resolve("config/kms_core-\(runMode.rawValue)"),
                required: false),
            LayerSlot(
                name: etcConfigDirectory + "/kms_core.toml", base: etcConfigDirectory + "/kms_core.toml",
                required: false),
            configFileSlot,
        ]
    }

    /// Every path kms-server would read if it existed: what a watcher must watch even while absent.
    package var candidatePaths: [String] {
        slots.flatMap(\.candidates)
    }

    /// A path as kms-server (started in the working directory) resolves it.
    package func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || workingDirectory == "." || workingDirectory.isEmpty { return path }
        return (workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/") + path
    }

    /// The files each slot holds, and what kms-drift has to say about them.
    package func discover() throws(EffectiveConfigError) -> (layers: [LayerFile], notes: [String]) {
        var layers: [LayerFile] = []
        var notes: [String] = []
        for slot in slots {
            if Self.isRegularFile(slot.base) {
                guard let format = Self.format(ofExtensionOf: slot.base) else {
                    if slot.required { throw .unsupportedFormat(path: slot.base) }
                    notes.append(
                        "\(slot.base) is not read: its name has no extension kms-server knows, so kms-server skips it"
                    )
                    continue
                }
                layers.append(LayerFile(slot: slot.name, path: slot.base, format: format))
                continue
            }
            var found: [LayerFile] = []
            for (format, extensions) in Self.extensions {
                for ext in extensions where Self.isRegularFile(slot.base + "." + ext) {
                    found.append(LayerFile(slot: slot.name, path: slot.base + "." + ext, format: format))
                }
            }
            guard let first = found.first else {
                if slot.required { throw .missingConfigFile(path: slot.base, tried: slot.candidates) }
                continue
            }
            if found.count > 1 {
                notes.append(
                    "\(found.map(\.path).joined(separator: " and ")) all fill the slot \(slot.name).*; "
                        + "kms-server reads one of them, chosen anew at each start (config-rs iterates a hash map); "
                        + "kms-drift reads \(first.path): keep only one")
            }
            layers.append(first)
        }
        for layer in layers {
            if case .other(let name) = layer.format {
                notes.append(
                    "\(layer.path) is not read: kms-server reads it as \(name), which kms-drift does not; "
                        + "the effective configuration shown lacks its values (convert it to TOML)")
            }
        }
        return (layers, notes)
    }

    static func format(ofExtensionOf path: String) -> LayerFormat? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = String(name[name.index(after: dot)...])
        return extensions.first { $0.extensions.contains(ext) }?.format
    }

    /// `Path::is_file`: a regular file, following symlinks (Kubernetes mounts are symlinks).
    static func isRegularFile(_ path: String) -> Bool {
        FileContents.isRegularFile(path)
    }
}

/// A layer's format.
package enum LayerFormat: Sendable, Equatable {
    case toml
    case json
    /// A format kms-server reads but kms-drift does not (yaml, ini, ron, json5).
    case other(String)
}

/// One place kms-server looks for a layer.
package struct LayerSlot: Sendable, Equatable {
    /// How reports call the slot: `config/default`, `--config-file`.
    package let name: String
    /// The path without extension (or the exact path for `--config-file` and `/etc/config`).
    package let base: String
    package let required: Bool

    /// The exact path, then the path with each extension config-rs tries.
    package var candidates: [String] {
        [base] + LayerDiscovery.extensions.flatMap { $0.extensions.map { base + "." + $0 } }
    }
}

/// A layer file found in a slot.
package struct LayerFile: Sendable, Equatable {
    package let slot: String
    package let path: String
    package let format: LayerFormat
}
