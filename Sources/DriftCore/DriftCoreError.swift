/// Everything that stops DriftCore from producing a report, in words an operator can act on.
package enum DriftCoreError: Error, CustomStringConvertible, Sendable {
    /// A file could not be opened or read; `reason` is the errno meaning.
    case unreadable(path: String, reason: String)
    /// A file is not valid TOML; `message` is `file:line:column: reason`.
    case invalidTOML(message: String)
    /// A `--ignore` or rules pattern could not be parsed.
    case invalidPattern(String, reason: String)
    /// One side of a comparison is a directory and the other a file.
    case kindMismatch(reference: String, current: String, referenceIsDirectory: Bool)
    /// A path given to compare does not exist.
    case notFound(path: String)

    package var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .invalidTOML(let message):
            return message
        case .invalidPattern(let pattern, let reason):
            return "invalid key path pattern \"\(pattern)\": \(reason)"
        case .kindMismatch(let reference, let current, let referenceIsDirectory):
            let (directory, file) = referenceIsDirectory ? (reference, current) : (current, reference)
            return
                "cannot compare \(reference) with \(current): \(directory) is a directory but \(file) is a file; "
                + "give two files or two directories"
        case .notFound(let path):
            return "\(path): no such file or directory"
        }
    }
}
