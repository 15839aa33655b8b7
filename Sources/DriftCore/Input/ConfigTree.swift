/// A set of configuration files under relative paths: a directory on disk, or a stored
/// snapshot. Comparisons are written against this so `check DIR DIR` and `diff SNAP SNAP`
/// share one implementation.
package protocol ConfigTree {
    /// What to call this tree in reports (a path, `snapshot #12`).
    var displayName: String { get }
    /// Every entry by relative path (`parties/node1.toml`), directories excluded.
    func entries() throws(DriftCoreError) -> [String: TreeEntry]
    /// The bytes of the regular file at `relativePath`.
    func contents(of relativePath: String) throws(DriftCoreError) -> [UInt8]
    /// How to call the file at `relativePath` in an error message (`/etc/kms/node.toml`).
    func displayPath(of relativePath: String) -> String
}

/// One entry of a configuration tree.
package struct TreeEntry: Sendable, Equatable {
    package enum Kind: String, Sendable {
        case file
        case symlink
        /// A socket, FIFO or device: listed so a change of kind is visible, never read.
        case special
        /// Recorded in a snapshot as unreadable; `note` says why.
        case unreadable
    }

    package let kind: Kind
    /// The link target for a symlink, or the reason for an unreadable entry.
    package let note: String?
    /// The content hash when the source already knows it (a snapshot), so equal files are
    /// recognised without reading them.
    package let contentHash: String?
    /// The size in bytes when the source already knows it (a snapshot), so a summary can say it
    /// without reading the file.
    package let size: Int64?
    /// Permission bits, when the source records them (a snapshot). Compared only when both
    /// sides know them: a GitOps checkout does not carry a deployment's modes.
    package let mode: UInt32?

    package init(
        kind: Kind, note: String? = nil, contentHash: String? = nil, size: Int64? = nil, mode: UInt32? = nil
    ) {
        self.kind = kind
        self.note = note
        self.contentHash = contentHash
        self.size = size
        self.mode = mode
    }
}
