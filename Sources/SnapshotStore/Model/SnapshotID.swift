/// A snapshot's number, stable for the life of the database (ids are never reused after rotation).
/// Shown to people as `#12`.
package struct SnapshotID: Hashable, Comparable, Sendable, CustomStringConvertible {
    package let rawValue: Int64
    package init(_ rawValue: Int64) { self.rawValue = rawValue }
    package var description: String { "#\(rawValue)" }
    package static func < (lhs: SnapshotID, rhs: SnapshotID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How a caller names a snapshot: by id, or by one of the references the store resolves.
package enum SnapshotReference: Hashable, Sendable, CustomStringConvertible {
    case id(SnapshotID)
    /// The most recent snapshot.
    case latest
    /// The snapshot set with ``SnapshotStore/setBaseline(_:reason:)``.
    case baseline
    /// The baseline before the last `baseline set`, kept until the next one.
    case previousBaseline

    /// Parses `#12`, `12`, `latest`, `baseline` or `previous-baseline`; `nil` for anything else.
    package init?(parsing text: String) {
        switch text {
        case "latest": self = .latest
        case "baseline": self = .baseline
        case "previous-baseline": self = .previousBaseline
        default:
            let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
            guard let number = Int64(digits), number > 0 else { return nil }
            self = .id(SnapshotID(number))
        }
    }

    package var description: String {
        switch self {
        case .id(let id): return id.description
        case .latest: return "latest"
        case .baseline: return "baseline"
        case .previousBaseline: return "previous-baseline"
        }
    }
}
