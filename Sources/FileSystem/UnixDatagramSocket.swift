import Glibc

/// An unbound `AF_UNIX` datagram socket that sends whole messages to a path or to an abstract
/// address (written `@name`), without blocking and without `SIGPIPE`: what `sd_notify` needs.
package final class UnixDatagramSocket: Sendable {
    private let descriptor: Int32

    /// The longest address `sockaddr_un` holds, terminating NUL excluded.
    package static let maximumAddressLength = 107

    /// A new socket, or `nil` when the system gives none.
    package init?() {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Sends `bytes` as one datagram to `address` (a path, or `@name` for the abstract namespace);
    /// true when it was sent whole. A receiver whose queue is full loses the message.
    package func send(_ bytes: [UInt8], to address: String) -> Bool {
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        var path = Array(address.utf8)
        guard path.count <= Self.maximumAddressLength else { return false }
        if path.first == UInt8(ascii: "@") { path[0] = 0 }  // abstract namespace
        let length = MemoryLayout<sa_family_t>.size + path.count
        withUnsafeMutableBytes(of: &storage.sun_path) { buffer in
            for (index, byte) in path.enumerated() { buffer[index] = byte }
        }
        let sent = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bytes.withUnsafeBytes {
                    sendto(
                        descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT),
                        address, socklen_t(length))
                }
            }
        }
        return sent == bytes.count
    }
}
