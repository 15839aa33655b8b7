import Glibc

/// A path with every symlink, `.` and `..` resolved (`realpath`): to compare two paths for what
/// they are, not how they are spelled.
package enum ResolvedPath {
    /// The resolved form of an existing `path`, or `nil` when it does not exist or cannot be resolved.
    package static func of(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
