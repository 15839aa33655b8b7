import TOML

/// A TOML configuration file read from disk and parsed, with the name used in reports.
public struct ConfigFile: Sendable {
    /// The path as the operator gave it; reports and errors use it.
    public let path: String
    public let root: TOMLTable

    public init(path: String, root: TOMLTable) {
        self.path = path
        self.root = root
    }

    /// Reads and parses `path`; errors name the file and, for bad TOML, line and column.
    public static func load(_ path: String, version: TOMLParser.Version = .v1_1) throws(DriftCoreError) -> ConfigFile {
        let bytes = try FileBytes.read(path)
        return try parse(bytes, path: path, version: version)
    }

    /// Parses bytes that came from somewhere other than a plain file (a snapshot, stdin).
    public static func parse(_ bytes: [UInt8], path: String, version: TOMLParser.Version = .v1_1)
        throws(DriftCoreError) -> ConfigFile
    {
        do {
            let root = try TOMLParser(version: version).parse(bytes, fileName: path)
            return ConfigFile(path: path, root: root)
        } catch {
            throw .invalidTOML(message: error.description)
        }
    }
}
