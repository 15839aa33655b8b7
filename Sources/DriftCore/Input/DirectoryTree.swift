import FileSystem

/// A directory on disk as a `ConfigTree`, seen through the same ``PathFilter`` and the same
/// walker as a snapshot of it: symlinks are listed as links, never followed, and excluded
/// paths are absent from both sides of a comparison.
public struct DirectoryTree: ConfigTree {
    public let root: String
    public let filter: PathFilter

    public init(root: String, filter: PathFilter = .everything) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.filter = filter
    }

    public var displayName: String { root }

    public func displayPath(of relativePath: String) -> String { root + "/" + relativePath }

    public func contents(of relativePath: String) throws(DriftCoreError) -> [UInt8] {
        try FileBytes.read(displayPath(of: relativePath))
    }

    public func entries() throws(DriftCoreError) -> [String: TreeEntry] {
        var result: [String: TreeEntry] = [:]
        do {
            try DirectoryWalker(root: root, filter: filter).walk { entry in
                switch entry {
                case .regular(let path, _):
                    result[path] = TreeEntry(kind: .file)
                case .symlink(let path, _):
                    result[path] = TreeEntry(
                        kind: .symlink,
                        note: try Self.linkTarget(DirectoryWalker.sourcePath(of: path, under: root)))
                case .special(let path, _):
                    result[path] = TreeEntry(kind: .special)
                case .failed(let path, _, let code):
                    throw DriftCoreError.unreadable(
                        path: displayPath(of: path), reason: POSIX.errorText(code))
                }
            }
        } catch let error as DriftCoreError {
            throw error
        } catch let error as DirectoryWalker.RootUnavailable {
            throw .unreadable(path: error.path, reason: error.reason)
        } catch {
            throw .unreadable(path: root, reason: "\(error)")
        }
        return result
    }

    static func linkTarget(_ path: String) throws(DriftCoreError) -> String {
        do {
            return try FileBytes.linkTarget(path)
        } catch {
            throw .unreadable(path: path, reason: POSIX.errorText(error.value))
        }
    }
}
