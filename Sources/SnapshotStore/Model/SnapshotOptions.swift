/// What to record when taking a snapshot.
public struct SnapshotOptions: Sendable {
    /// Glob patterns (`fnmatch`, `*` also crosses `/`) on relative paths; when not empty, only matching
    /// files are recorded.
    public var include: [String]
    /// Glob patterns on relative paths; a matching file is not recorded and a matching directory not entered.
    public var exclude: [String]
    /// Files larger than this are recorded by hash only, and reported in ``SnapshotResult/oversizedFiles``.
    public var maximumStoredFileSize: Int64
    /// When set, rotation runs in the same transaction as the snapshot, keeping this many newest snapshots.
    public var keepNewest: Int?

    public init(
        include: [String] = [], exclude: [String] = [], maximumStoredFileSize: Int64 = 16 << 20,
        keepNewest: Int? = nil
    ) {
        self.include = include
        self.exclude = exclude
        self.maximumStoredFileSize = maximumStoredFileSize
        self.keepNewest = keepNewest
    }
}
