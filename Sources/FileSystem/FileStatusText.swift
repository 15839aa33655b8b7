import Glibc

/// What a `stat` says about a file's content without reading it, as text to hash: size,
/// modification and change times (nanoseconds), inode and mode. Any edit, replacement or
/// `chmod` changes it.
package enum FileStatusText {
    /// `size␁mtime␁ctime␁inode␁mode`, fields separated by U+0001.
    package static func changeIdentity(_ status: stat) -> String {
        "\(status.st_size)\u{1}\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
            + "\u{1}\(status.st_ctim.tv_sec).\(status.st_ctim.tv_nsec)\u{1}\(status.st_ino)"
            + "\u{1}\(status.st_mode)"
    }
}
