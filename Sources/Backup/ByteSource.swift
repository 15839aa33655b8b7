import Age
import CZstd
import FileSystem

/// Where the bytes of an import come from, one stage after another (a file, decryption,
/// decompression). `read` returns 0 only at the end of the stream.
protocol ByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Reads a file descriptor.
final class DescriptorSource: ByteSource {
    let descriptor: Int32
    let name: String

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let result = POSIX.readFully(descriptor, into: buffer)
        guard result.errno == 0 else {
            throw BackupError.cannotRead(path: name, reason: POSIX.errorText(result.errno))
        }
        return result.count
    }
}

/// age decryption of another source.
final class AgeSource: ByteSource {
    private let decryptor: AgeDecryptor

    init(identities: [AgeIdentity], next: ByteSource) throws {
        decryptor = try AgeDecryptor(identities: identities) { try next.read(into: $0) }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try decryptor.read(into: buffer)
    }
}

/// zstd decompression of another source: any number of frames, each checked by zstd.
final class ZstdSource: ByteSource {
    private let next: ByteSource
    private let stream: OpaquePointer
    private var input = [UInt8](repeating: 0, count: 128 * 1024)
    private var inputCount = 0
    private var inputPosition = 0
    private var atEnd = false
    /// What the last call to ZSTD_decompressStream said: 0 when a frame just ended.
    private var frameState = 0
    private let name: String

    init(next: ByteSource, name: String) {
        self.next = next
        self.name = name
        stream = ZSTD_createDStream()
        ZSTD_initDStream(stream)
    }

    deinit { ZSTD_freeDStream(stream) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            if inputPosition == inputCount && !atEnd {
                inputCount = try input.withUnsafeMutableBytes { try next.read(into: $0) }
                inputPosition = 0
                if inputCount == 0 { atEnd = true }
            }
            if atEnd && inputPosition == inputCount {
                guard frameState == 0 else {
                    throw BackupError.damaged(
                        path: name, reason: "its zstd stream ends in the middle of a frame")
                }
                return 0
            }
            var output = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
            let result = input.withUnsafeBytes { bytes in
                var input = ZSTD_inBuffer(src: bytes.baseAddress, size: inputCount, pos: inputPosition)
                let result = ZSTD_decompressStream(stream, &output, &input)
                inputPosition = input.pos
                return result
            }
            guard ZSTD_isError(result) == 0 else {
                throw BackupError.damaged(
                    path: name,
                    reason: "its zstd stream does not decode (\(String(cString: ZSTD_getErrorName(result))))")
            }
            frameState = result
            if output.pos > 0 { return output.pos }
        }
    }
}
