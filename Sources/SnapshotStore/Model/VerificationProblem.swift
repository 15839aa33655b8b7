/// One problem found by ``SnapshotStore/verify()``, naming what is damaged.
public struct VerificationProblem: Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var blobHash: ContentHash?
    /// Snapshots and paths that hold the damaged content.
    public var affectedFiles: [AffectedFile]

    public struct AffectedFile: Hashable, Sendable {
        public var snapshot: SnapshotID
        public var path: String
    }

    public var description: String {
        guard !affectedFiles.isEmpty else { return message }
        let places = affectedFiles.map { "\($0.snapshot) \($0.path)" }.joined(separator: ", ")
        return "\(message) (held by \(places))"
    }
}
