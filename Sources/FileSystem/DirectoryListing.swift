import Glibc

/// The names in one directory, not below it (`.` and `..` left out): for the places that look
/// at a single level, such as `/proc` for a process or a backup directory for its exports.
/// Walking a tree is `DirectoryWalker`'s job.
package enum DirectoryListing {
    /// The names in `directory`, in no particular order; the errno when it cannot be opened.
    package static func names(in directory: String) throws(ErrnoCode) -> [String] {
        guard let handle = opendir(directory) else { throw ErrnoCode(errno) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
