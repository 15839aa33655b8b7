import Crypto

/// Encrypts a stream to age v1 X25519 recipients, as `age -r` does: the header, the payload
/// nonce, then ChaCha20-Poly1305 chunks of 64 KiB (the STREAM construction of the spec).
///
/// Feed it with ``write(_:)`` and end with ``finish()``; encrypted bytes go to `sink` as they
/// are ready, so memory stays at one chunk whatever the size of the stream. Not thread-safe.
package final class AgeEncryptor {
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private let payloadKey: SymmetricKey
    private var pending: [UInt8] = []
    private var counter: UInt64 = 0
    private var finished = false

    /// Writes the header for `recipients` (at least one) to `sink` right away.
    package init(recipients: [AgeRecipient], sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        precondition(!recipients.isEmpty, "age needs at least one recipient")
        self.sink = sink
        var fileKey = [UInt8](repeating: 0, count: AgeFormat.fileKeySize)
        var nonce = [UInt8](repeating: 0, count: AgeFormat.payloadNonceSize)
        var generator = SystemRandomNumberGenerator()
        for index in fileKey.indices { fileKey[index] = generator.next() }
        for index in nonce.indices { nonce[index] = generator.next() }
        var header = AgeFormat.versionLine
        for recipient in recipients {
            let (share, body) = try AgeFormat.x25519Stanza(fileKey: fileKey, to: recipient)
            header += Array("-> X25519 \(RawBase64.encode(share))\n".utf8)
            header += Self.wrapped(RawBase64.encode(body))
        }
        header += Array("---".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: header, using: AgeFormat.headerKey(fileKey))
        header += Array(" \(RawBase64.encode(Array(mac)))\n".utf8)
        payloadKey = AgeFormat.payloadKey(fileKey, nonce: nonce)
        pending.reserveCapacity(AgeFormat.chunkSize)
        try (header + nonce).withUnsafeBytes { try sink($0) }
    }

    /// A stanza body in lines of 64 columns, ending with a shorter (possibly empty) line.
    static func wrapped(_ base64: String) -> [UInt8] {
        var lines: [UInt8] = []
        var rest = Substring(base64)
        repeat {
            let line = rest.prefix(64)
            lines += Array(line.utf8) + [0x0A]
            rest = rest.dropFirst(64)
            if rest.isEmpty && line.count == 64 { lines.append(0x0A) }
        } while !rest.isEmpty
        return lines
    }

    /// Encrypts `bytes`; a chunk is written once the next byte shows it is not the last.
    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(!finished, "write after finish")
        var offset = 0
        while offset < bytes.count {
            if pending.count == AgeFormat.chunkSize { try seal(final: false) }
            let take = min(AgeFormat.chunkSize - pending.count, bytes.count - offset)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
            offset += take
        }
    }

    package func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Seals the last chunk (empty only when nothing was written).
    package func finish() throws {
        precondition(!finished, "finish called twice")
        try seal(final: true)
        finished = true
    }

    private func seal(final: Bool) throws {
        let box = try ChaChaPoly.seal(
            pending, using: payloadKey, nonce: AgeFormat.chunkNonce(counter, final: final))
        counter += 1
        pending.removeAll(keepingCapacity: true)
        try box.ciphertext.withUnsafeBytes { try sink($0) }
        try box.tag.withUnsafeBytes { try sink($0) }
    }
}
