import FileSystem

/// A directory on disk as a `ConfigTree`, seen through the same ``PathFilter`` and the same
/// walker as a snapshot of it: symlinks are listed as links, never followed, and excluded
/// paths are absent from both sides of a comparison.
package struct DirectoryTree: ConfigTree {
    package let root: String
    package let filter: PathFilter
    /// Files above this size are an error, never read whole (see `InputFile`).
    package let maximumFileSize: Int64

    package init(
        root: String, filter: PathFilter = .everything, maximumFileSize: Int64 = InputFile.defaultMaximumSize
    ) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.filter = filter
        self.maximumFileSize = maximumFileSize
    }

    package var displayName: String { root }

    package func displayPath(of relativePath: String) -> String { root + "/" + relativePath }

    /// Read by the bytes the key stands for: a name need not be UTF-8.
    package func contents(of relativePath: String) throws(DriftCoreError) -> [UInt8] {
        do {
            return try FileContents.read(
                rawPath: RawPath.join(root, relativePath), maximumSize: maximumFileSize)
        } catch {
            throw .unreadable(path: displayPath(of: relativePath), reason: error.description)
        }
    }

    package func entries() throws(DriftCoreError) -> [String: TreeEntry] {
        var result: [String: TreeEntry] = [:]
        do {
            try DirectoryWalker(root: root, filter: filter).walk { entry in
                switch entry {
                case .directory:
                    break
                case .regular(let path, _):
                    result[path] = TreeEntry(kind: .file)
                case .symlink(let path, _):
                    result[path] = TreeEntry(kind: .symlink, note: try linkTarget(path))
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
        } catch let error as DirectoryWalker.RootRefused {
            throw .unreadable(path: error.path, reason: error.reason)
        } catch {
            throw .unreadable(path: root, reason: "\(error)")
        }
        return result
    }

    private func linkTarget(_ relativePath: String) throws(DriftCoreError) -> String {
        do {
            return try FileContents.linkTarget(
                rawPath: DirectoryWalker.sourcePath(of: relativePath, under: root))
        } catch {
            throw .unreadable(path: displayPath(of: relativePath), reason: POSIX.errorText(error.value))
        }
    }
}
