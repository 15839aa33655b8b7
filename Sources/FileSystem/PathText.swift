/// The parts of a path as the user typed it, without touching the file system: the one place
/// that knows a bare name (`node.age`) lives in `.` and `/x` in `/`.
package enum PathText {
    /// The directory part: `config` for `config/demo.toml`, `.` for a bare name, `/` for `/x`.
    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component: `demo.toml` for `config/demo.toml`, the path itself for a bare name.
    package static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The path without trailing slashes (`/srv/kms/` → `/srv/kms`; `/` stays `/`).
    package static func withoutTrailingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
