#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A directory on disk as a `ConfigTree`. Symlinks are listed as links, never followed.
public struct DirectoryTree: ConfigTree {
    public let root: String

    public init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    public var displayName: String { root }

    public func displayPath(of relativePath: String) -> String { root + "/" + relativePath }

    public func contents(of relativePath: String) throws(DriftCoreError) -> [UInt8] {
        try FileBytes.read(displayPath(of: relativePath))
    }

    public func entries() throws(DriftCoreError) -> [String: TreeEntry] {
        var result: [String: TreeEntry] = [:]
        try walk(relative: "", into: &result)
        return result
    }

    private func walk(relative: String, into result: inout [String: TreeEntry]) throws(DriftCoreError) {
        let directoryPath = relative.isEmpty ? root : root + "/" + relative
        guard let stream = opendir(directoryPath) else {
            throw .unreadable(path: directoryPath, reason: FileBytes.errnoDescription())
        }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(stream)
        for name in names.sorted() {
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            let childPath = root + "/" + childRelative
            var status = stat()
            guard lstat(childPath, &status) == 0 else {
                throw .unreadable(path: childPath, reason: FileBytes.errnoDescription())
            }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                try walk(relative: childRelative, into: &result)
            case S_IFREG:
                result[childRelative] = TreeEntry(kind: .file)
            case S_IFLNK:
                result[childRelative] = TreeEntry(kind: .symlink, note: try Self.linkTarget(childPath))
            default:
                result[childRelative] = TreeEntry(kind: .special)
            }
        }
    }

    static func linkTarget(_ path: String) throws(DriftCoreError) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: pointer.count) {
                readlink(path, $0, pointer.count - 1)
            }
        }
        guard length >= 0 else { throw .unreadable(path: path, reason: FileBytes.errnoDescription()) }
        return String(decoding: buffer[0..<length], as: UTF8.self)
    }
}
