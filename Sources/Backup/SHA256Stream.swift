import Crypto
import SnapshotStore

/// SHA-256 over pieces, giving a ``ContentHash``.
struct SHA256Stream {
    private var hasher = SHA256()

    mutating func update(_ bytes: [UInt8]) { hasher.update(data: bytes) }

    mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

    func finalize() -> ContentHash { ContentHash(bytes: Array(hasher.finalize())) }
}
