import FileSystem

/// A SHA-256 of a file's bytes: the key of content-addressed storage.
package struct ContentHash: Hashable, Sendable, CustomStringConvertible {
    package let bytes: [UInt8]
    package init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses 64 hexadecimal digits.
    package init?(hex: String) {
        guard hex.utf8.count == 64, let bytes = Hex.decode(hex) else { return nil }
        self.bytes = bytes
    }

    /// Lower-case hexadecimal.
    package var hex: String { Hex.encode(bytes) }

    package var description: String { "sha256:\(hex)" }
}
