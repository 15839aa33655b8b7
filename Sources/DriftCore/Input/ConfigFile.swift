import FileSystem
import TOML

/// A TOML configuration file read from disk and parsed, with the name used in reports.
package struct ConfigFile: Sendable {
    /// The path as the operator gave it; reports and errors use it.
    package let path: String
    package let root: TOMLTable

    package init(path: String, root: TOMLTable) {
        self.path = path
        self.root = root
    }

    /// Reads and parses `path`; errors name the file and, for bad TOML, line and column. A FIFO,
    /// device or socket, or a file above `maximumSize`, is an error, never a hang.
    package static func load(
        _ path: String, version: TOMLParser.Version = .v1_1, maximumSize: Int64 = InputFile.defaultMaximumSize
    ) throws(DriftCoreError) -> ConfigFile {
        guard (FileContents.size(of: path) ?? 0) >= largeFileSize else {
            let bytes: [UInt8]
            do {
                bytes = try FileContents.read(path, maximumSize: maximumSize)
            } catch {
                throw .unreadable(path: path, reason: error.description)
            }
            return try parse(bytes, path: path, version: version)
        }
        do {
            return try MappedFile.withContents(of: path, maximumSize: maximumSize) {
                bytes, release throws(DriftCoreError) in
                do throws(TOMLParseError) {
                    let root = try TOMLParser(version: version).parse(
                        bytes, fileName: path, releaseConsumed: release)
                    return ConfigFile(path: path, root: root)
                } catch {
                    throw .invalidTOML(message: SecretPolicy().shown(error).description)
                }
            }
        } catch let error as DriftCoreError {
            throw error
        } catch let error as InputFileError {
            throw .unreadable(path: path, reason: error.description)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }

    /// From this size on, a file's bytes are given back to the system as they are parsed.
    static let largeFileSize = 4 << 20

    /// Parses bytes that came from somewhere other than a plain file (a snapshot, stdin).
    package static func parse(_ bytes: [UInt8], path: String, version: TOMLParser.Version = .v1_1)
        throws(DriftCoreError) -> ConfigFile
    {
        do {
            let root = try TOMLParser(version: version).parse(bytes, fileName: path)
            return ConfigFile(path: path, root: root)
        } catch {
            // A value under a secret key never reaches the message (stderr, log, hook payload).
            throw .invalidTOML(message: SecretPolicy().shown(error).description)
        }
    }

    /// Reads and parses two files at once, one per core: `check` spends most of its time parsing,
    /// and the two files do not depend on each other. Errors are reported for the first path first.
    package static func loadPair(
        _ first: String, _ second: String, version: TOMLParser.Version = .v1_1,
        maximumSize: Int64 = InputFile.defaultMaximumSize
    ) throws(DriftCoreError) -> (ConfigFile, ConfigFile) {
        // Below this combined size a second thread costs more than it saves.
        if (FileContents.size(of: first) ?? 0) + (FileContents.size(of: second) ?? 0) < 1 << 20 {
            return (
                try load(first, version: version, maximumSize: maximumSize),
                try load(second, version: version, maximumSize: maximumSize)
            )
        }
        let loaded = ParallelMap.map([first, second], threads: 2) {
            path -> Result<ConfigFile, DriftCoreError> in
            do throws(DriftCoreError) {
                return .success(try load(path, version: version, maximumSize: maximumSize))
            } catch {
                return .failure(error)
            }
        }
        return (try loaded[0].get(), try loaded[1].get())
    }
}
