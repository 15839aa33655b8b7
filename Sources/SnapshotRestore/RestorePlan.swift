import FileSystem
import SnapshotStore

/// How a restore is to be done: what, and how far to trust the recorded metadata.
package struct RestoreOptions: Sendable {
    /// Only this file or directory (a `PathName` key, see ``RestoreScope``); `nil` restores everything.
    package var subtree: String?
    /// Restore setuid, setgid and sticky bits as recorded. Off by default: a recorded `06777` on a
    /// copy of a shell would otherwise come back as a root shell for anyone.
    package var keepSpecialBits: Bool
    /// The configured size limit (`[watch] max_file_size`): content recorded as larger is refused
    /// rather than trusted, whatever the database says.
    package var maximumFileSize: Int64
    /// Give files and directories their recorded owner and group. Only root can; by default it is
    /// done when running as root, and reported as not done otherwise.
    package var restoreOwners: Bool

    package init(
        subtree: String? = nil, keepSpecialBits: Bool = false, maximumFileSize: Int64 = 16 << 20,
        restoreOwners: Bool = ProcessUser.isRoot
    ) {
        self.subtree = subtree
        self.keepSpecialBits = keepSpecialBits
        self.maximumFileSize = maximumFileSize
        self.restoreOwners = restoreOwners
    }
}

/// Owner and group ids as recorded.
package struct Ownership: Hashable, Sendable, CustomStringConvertible {
    package var owner: UInt32
    package var group: UInt32
    package var description: String { "\(owner):\(group)" }
}

/// One thing a restore writes.
package struct RestoreAction: Hashable, Sendable {
    package enum Operation: Hashable, Sendable {
        /// Write the file's recorded bytes (checked against `hash` before they are renamed into
        /// place) and give it `mode`.
        case writeFile(mode: UInt32, size: Int64, hash: ContentHash)
        /// Create (or replace) a symlink with this target (a `PathName` key).
        case createSymlink(target: String)
        /// Make sure the directory exists and, once its contents are written, give it `mode`.
        case directory(mode: UInt32)
    }

    /// Path relative to the target directory (a `PathName` key).
    package var path: String
    package var operation: Operation
    /// The recorded owner and group; `nil` for snapshots taken before they were recorded.
    package var ownership: Ownership?
    /// setuid, setgid and sticky bits that were recorded and are not restored.
    package var droppedBits: UInt32
}

/// A path the restore does not write, and why, in words for the operator.
package struct RestoreRefusal: Error, Hashable, Sendable {
    package var path: String
    package var reason: String
}

/// Everything a restore will do and will not do, decided before anything is written: every
/// content checked against its SHA-256, every path checked against the target directory.
package struct RestorePlan: Hashable, Sendable {
    package var snapshot: SnapshotID
    /// The directory restored into.
    package var target: String
    /// What will be written, in path order.
    package var actions: [RestoreAction]
    /// What will not be, and why: damaged or missing content, content above the size limit,
    /// files unreadable when the snapshot was taken, paths that would leave the target.
    package var refusals: [RestoreRefusal]

    /// True when everything in the snapshot (or the subtree) can be restored.
    package var isClean: Bool { refusals.isEmpty }
}

/// What a restore did: exactly what was written and what was not.
package struct RestoreReport: Hashable, Sendable {
    package var plan: RestorePlan
    /// Actions carried out, in the order they were.
    package var written: [RestoreAction]
    /// Paths not written: the plan's refusals, every action when the plan was not clean and a
    /// partial restore was not asked for, and file-system failures while writing.
    package var notWritten: [RestoreRefusal]
    /// Paths written whose recorded owner and group were not restored because kms-drift does not
    /// run as root (they belong to the user who restored them).
    package var ownersNotRestored: [RestoreAction]

    /// True when every entry was written.
    package var isComplete: Bool { notWritten.isEmpty }
}

/// Which part of a snapshot to restore, as an operator names it with `--path`.
package enum RestoreScope {
    /// The key of `text` with trailing slashes removed. An empty path, an absolute path, or one with
    /// `.` or `..` components names nothing in a snapshot: refused, so `--path ''` never means
    /// "everything".
    package static func subtree(_ text: String) throws -> String {
        var trimmed = Substring(text)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let key = PathName.key(parsingUserInput: String(trimmed))
        if key.isEmpty {
            throw SnapshotStoreError.invalidArgument(
                "--path is empty; give a file or directory of the snapshot (relative, as `show` lists it), "
                    + "or leave --path out to restore everything")
        }
        do {
            try checkRelativePath(key)
        } catch {
            throw SnapshotStoreError.invalidArgument(
                "--path \(key) is not a path inside the snapshot: give it relative to the watched directory, "
                    + "as `show` lists it")
        }
        return key
    }
}

/// Refuses paths that could escape the target directory, or that no file system can hold.
func checkRelativePath(_ path: String) throws {
    if path.hasPrefix("/") {
        throw SnapshotStoreError.unsafeRestorePath(path: path, reason: "it is an absolute path")
    }
    for component in path.split(separator: "/", omittingEmptySubsequences: false) {
        if component == ".." {
            throw SnapshotStoreError.unsafeRestorePath(path: path, reason: "it contains `..`")
        }
        if component.isEmpty || component == "." {
            throw SnapshotStoreError.unsafeRestorePath(path: path, reason: "it is not a plain relative path")
        }
    }
    if PathName.bytes(path).contains(0) {
        throw SnapshotStoreError.unsafeRestorePath(path: path, reason: "its name holds a NUL byte")
    }
}
