import FileSystem

/// What to record when taking a snapshot.
public struct SnapshotOptions: Sendable {
    /// Which paths are recorded (`[watch] include` and `exclude`, parsed).
    public var filter: PathFilter
    /// Files larger than this are recorded by hash only, and reported in ``SnapshotResult/oversizedFiles``.
    public var maximumStoredFileSize: Int64
    /// When set, rotation runs in the same transaction as the snapshot, keeping this many newest snapshots.
    public var keepNewest: Int?
    /// Files computed in the same cycle, recorded in the same transaction as the walked ones.
    public var virtualFiles: [VirtualFile]

    public init(
        filter: PathFilter = .everything, maximumStoredFileSize: Int64 = 16 << 20,
        keepNewest: Int? = nil, virtualFiles: [VirtualFile] = []
    ) {
        self.filter = filter
        self.maximumStoredFileSize = maximumStoredFileSize
        self.keepNewest = keepNewest
        self.virtualFiles = virtualFiles
    }
}
