import Age
import FileSystem

/// Where the bytes of an export go, one stage after another (compression, encryption, a file).
protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Writes whatever is buffered and ends the stream.
    func finish() throws
}

extension ByteSink {
    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }
}

/// Buffered writes to a file descriptor (a temporary file, or standard output).
final class DescriptorSink: ByteSink {
    let descriptor: Int32
    let name: String
    private var buffer: [UInt8] = []
    private static let capacity = 1 << 20
    private static let directWrite = 32 * 1024
    /// Bytes written so far, buffered or not.
    private(set) var count: Int64 = 0

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        buffer.reserveCapacity(Self.capacity)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        count += Int64(bytes.count)
        if buffer.count + bytes.count > Self.capacity { try flush() }
        // Whole encrypted chunks (64 KiB) go straight to the descriptor, without a copy.
        if bytes.count >= Self.directWrite {
            try flush()
            try put(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    func finish() throws { try flush() }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try put($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func put(_ bytes: UnsafeRawBufferPointer) throws {
        let code = POSIX.writeAll(descriptor, bytes)
        guard code == 0 else { throw BackupError.cannotWrite(path: name, reason: POSIX.errorText(code)) }
    }
}

/// age encryption to recipients, in front of another sink.
final class AgeSink: ByteSink {
    private let encryptor: AgeEncryptor
    private let next: ByteSink

    init(recipients: [AgeRecipient], next: ByteSink) throws {
        self.next = next
        encryptor = try AgeEncryptor(recipients: recipients) { try next.write($0) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws { try encryptor.write(bytes) }

    func finish() throws {
        try encryptor.finish()
        try next.finish()
    }
}
