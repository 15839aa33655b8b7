/// The bytes of a recorded path: what goes into the archive and the manifest's `path_hex`.
/// Recorded paths are UTF-8 text today.
enum PathBytes {
    static func of(_ key: String) -> [UInt8] { Array(key.utf8) }

    /// The key of a path read back from an archive, or `nil` when the store cannot hold it.
    static func key(_ bytes: [UInt8]) -> String? { String(validating: bytes, as: UTF8.self) }
}
