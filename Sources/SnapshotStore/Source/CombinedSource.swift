/// Several sources recorded as one snapshot, in one transaction: the watched directory and the
/// files computed in the same cycle. Entries come from each source in turn.
package struct CombinedSource: SnapshotSource {
    package let sources: [any SnapshotSource]

    package init(_ sources: [any SnapshotSource]) {
        self.sources = sources
    }

    /// The first source's root: the watched directory, when it comes first.
    package var root: String { sources.first?.root ?? "" }

    package func checkUsable(storeFiles: [(what: String, path: String)]) throws {
        for source in sources { try source.checkUsable(storeFiles: storeFiles) }
    }

    package func forEachEntry(_ visit: (SnapshotEntry) throws -> Void) throws {
        for source in sources { try source.forEachEntry(visit) }
    }
}
