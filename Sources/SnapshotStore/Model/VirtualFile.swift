/// A file recorded in a snapshot that is not on disk under the watched directory: what kms-drift
/// computed or fetched in the same cycle (`@effective/kms-server.toml`, `@live/config.json`,
/// `@layers/etc/config/kms_core.toml`), kept and compared like any file.
package struct VirtualFile: Sendable, Equatable {
    /// The path in the snapshot; by convention it starts with `@`, which no kms-server file does.
    package var path: String
    package var bytes: [UInt8]

    package init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// The top directories kms-drift records computed files under.
    package static let prefixes = ["@effective/", "@live/", "@layers/"]

    /// True for a path recorded from a computation, not from the watched directory: a restore
    /// never writes it (it is not a file of the node).
    package static func isVirtual(_ path: String) -> Bool {
        prefixes.contains { path.hasPrefix($0) }
    }
}
