/// One problem found by ``SnapshotStore/verify()``, naming what is damaged.
package struct VerificationProblem: Hashable, Sendable, CustomStringConvertible {
    package var message: String
    package var blobHash: ContentHash?
    /// Snapshots and paths that hold the damaged content.
    package var affectedFiles: [AffectedFile]

    package struct AffectedFile: Hashable, Sendable {
        package var snapshot: SnapshotID
        package var path: String
    }

    package var description: String {
        guard !affectedFiles.isEmpty else { return message }
        let places = affectedFiles.map { "\($0.snapshot) \($0.path)" }.joined(separator: ", ")
        return "\(message) (held by \(places))"
    }
}
