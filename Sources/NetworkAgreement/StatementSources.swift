import EffectiveConfig
import FileSystem

/// Where statements are read from: files, directories (every `*.json` in them, not hidden), and
/// `http://`, `https://` or `http+unix://` URLs fetched with the project's HTTP client under its
/// policy (loopback only unless remote fetching is allowed, no redirect, bounded size and time).
package struct StatementSources: Sendable {
    package var locations: [String]
    /// How long the fetch of each URL may take.
    package var timeout: Duration
    package var allowRemote: Bool

    package init(_ locations: [String], timeout: Duration = .seconds(5), allowRemote: Bool = false) {
        self.locations = locations
        self.timeout = timeout
        self.allowRemote = allowRemote
    }

    static func isURL(_ location: String) -> Bool {
        ["http://", "https://", "http+unix://"].contains { location.hasPrefix($0) }
    }

    /// Every statement found. A path that cannot be read is an error (a typo in the command or
    /// the configuration); a URL that cannot be fetched is a statement that could not be read,
    /// reported with its party missing, so one unreachable party does not stop the check.
    package func read() throws(NetworkAgreementError) -> [NetworkCheck.Input] {
        var inputs: [NetworkCheck.Input] = []
        for location in locations {
            if Self.isURL(location) {
                do {
                    let body = try LiveFetch(
                        url: location, timeout: timeout, allowRemote: allowRemote
                    )
                    .fetchBody()
                    inputs.append(.init(source: location, bytes: .success(body)))
                } catch {
                    inputs.append(.init(source: location, bytes: .failure(.unreadable(error.description))))
                }
                continue
            }
            let isDirectory: Bool
            do {
                isDirectory = try FileContents.isDirectory(location)
            } catch {
                throw .unreadable(path: location, reason: error.description)
            }
            let files = isDirectory ? try Self.statementFiles(in: location) : [location]
            for file in files {
                do {
                    inputs.append(
                        .init(
                            source: file,
                            bytes: .success(
                                try FileContents.read(file, maximumSize: StatementFormat.maximumSize))))
                } catch {
                    if isDirectory {
                        // A file that vanished or grew between listing and reading: reported, not fatal.
                        inputs.append(.init(source: file, bytes: .failure(.unreadable(error.description))))
                    } else {
                        throw .unreadable(path: file, reason: error.description)
                    }
                }
            }
        }
        return inputs
    }

    /// `*.json` directly in `directory`, hidden files (a writer's temporary file) left out, sorted.
    static func statementFiles(in directory: String) throws(NetworkAgreementError) -> [String] {
        let names: [String]
        do {
            names = try DirectoryListing.names(in: directory).filter {
                !$0.hasPrefix(".") && $0.hasSuffix(".json")
            }
        } catch {
            throw .unreadable(path: directory, reason: error.description)
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return names.sorted().map { base + $0 }
    }
}
