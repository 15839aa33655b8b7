import SnapshotStore

/// `pin SNAP` and `unpin SNAP`: keep a snapshot through rotation, or let rotation delete it again.
package struct PinChange: Sendable {
    package let pinned: Bool

    package init(pinned: Bool) { self.pinned = pinned }

    package struct Result: Sendable {
        package let snapshot: SnapshotID
        package let pinned: Bool
        package var exitStatus: ExitStatus { .nothingToReport }
    }

    package func run(_ snapshot: SnapshotReference, in store: SnapshotStore) throws -> Result {
        let id = try store.resolve(snapshot)
        if pinned { try store.pin(.id(id)) } else { try store.unpin(.id(id)) }
        return Result(snapshot: id, pinned: pinned)
    }
}
