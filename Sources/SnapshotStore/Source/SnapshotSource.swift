/// What a snapshot is taken from: the walked watched directory, the files a cycle computes, any
/// combination of them, or anything else that can list entries. The store records whatever a
/// source yields, so a new kind of source (a Kubernetes mount, an in-memory tree) needs no change
/// in the store.
package protocol SnapshotSource {
    /// What the snapshot records as its root (`list` shows it). A snapshot can only be found
    /// unchanged against one recorded with the same root.
    var root: String { get }

    /// Refuses a source that must not be recorded, before the store opens its transaction: a
    /// watched directory that does not exist, is a system directory, or holds one of the files
    /// the store writes (`storeFiles`: what each is, and its path).
    func checkUsable(storeFiles: [(what: String, path: String)]) throws

    /// Calls `visit` with every entry, in an order that does not change between two calls on an
    /// unchanged source. Throws what `visit` throws, and ``SnapshotStoreError`` when the source
    /// itself cannot be read.
    func forEachEntry(_ visit: (SnapshotEntry) throws -> Void) throws
}

extension SnapshotSource {
    /// Nothing to check for a source that holds its entries itself.
    package func checkUsable(storeFiles: [(what: String, path: String)]) throws {}
}
