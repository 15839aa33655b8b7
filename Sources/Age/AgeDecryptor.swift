import Crypto

/// Decrypts an age v1 file with X25519 identities, as `age -d -i` does, strictly: a malformed
/// header, a header MAC that does not verify, an altered or reordered chunk, a file cut short
/// (even at a chunk boundary) and bytes after the final chunk are each an error.
///
/// The header is read and checked by the initialiser; ``read(into:)`` then yields plaintext
/// one authenticated chunk at a time. A caller must treat everything it got as untrusted until
/// ``read(into:)`` returned 0 (the final chunk verified). Not thread-safe.
package final class AgeDecryptor {
    /// Reads up to `buffer.count` bytes of the encrypted input; 0 at its end.
    package typealias Source = (UnsafeMutableRawBufferPointer) throws -> Int

    private static let encryptedChunkSize = AgeFormat.chunkSize + AgeFormat.tagSize
    private static let maximumHeaderSize = 64 * 1024

    private var input: InputBuffer
    private let payloadKey: SymmetricKey
    private var counter: UInt64 = 0
    private var plaintext: [UInt8] = []
    private var plaintextOffset = 0
    private var sawFinal = false

    /// True when `prefix` (the first bytes of a file) starts like an age v1 file.
    package static func looksEncrypted(_ prefix: [UInt8]) -> Bool {
        prefix.starts(with: AgeFormat.versionLine.prefix(min(prefix.count, AgeFormat.versionLine.count)))
            && prefix.count >= AgeFormat.versionLine.count
    }

    package init(identities: [AgeIdentity], source: @escaping Source) throws {
        var reader = InputBuffer(source: source)
        var header: [UInt8] = []
        func line() throws -> [UInt8] {
            guard
                let line = try reader.readLine(
                    limit: Self.maximumHeaderSize - header.count, headerLimit: Self.maximumHeaderSize)
            else {
                throw header.isEmpty
                    ? AgeError.notAgeFile : AgeError.malformedHeader("it ends before its MAC line")
            }
            header += line + [0x0A]
            return line
        }
        guard try line() == Array(AgeFormat.versionLine.dropLast()) else { throw AgeError.notAgeFile }
        var stanzas: [(arguments: [[UInt8]], body: [UInt8])] = []
        var macLine: [UInt8] = []
        while true {
            let current = try line()
            if current.starts(with: Array("-> ".utf8)) {
                let arguments = current.dropFirst(3).split(separator: 0x20, omittingEmptySubsequences: false)
                    .map(Array.init)
                guard arguments.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 33 && $0 <= 126 } }) else {
                    throw AgeError.malformedHeader("a stanza has an empty or invalid argument")
                }
                var bodyText: [UInt8] = []
                while true {
                    let bodyLine = try line()
                    guard bodyLine.count <= 64 else {
                        throw AgeError.malformedHeader("a stanza line is longer than 64 columns")
                    }
                    bodyText += bodyLine
                    if bodyLine.count < 64 { break }
                }
                guard let body = RawBase64.decode(bodyText) else {
                    throw AgeError.malformedHeader("a stanza body is not canonical base64")
                }
                stanzas.append((arguments, body))
            } else if current.starts(with: Array("---".utf8)) {
                macLine = current
                break
            } else {
                throw AgeError.malformedHeader("a line is neither a stanza nor the MAC")
            }
        }
        guard !stanzas.isEmpty else { throw AgeError.malformedHeader("it has no recipient stanza") }
        // The age spec: an scrypt (passphrase) stanza must be the only stanza of its header.
        if stanzas.count > 1, stanzas.contains(where: { $0.arguments.first == Array("scrypt".utf8) }) {
            throw AgeError.malformedHeader(
                "an scrypt stanza is not the only stanza, which the age format forbids")
        }
        guard macLine.count == 4 + 43, macLine[3] == 0x20, let mac = RawBase64.decode(macLine[4...]),
            mac.count == 32
        else { throw AgeError.malformedHeader("the MAC line is not --- and 43 base64 characters") }

        var fileKey: [UInt8]? = nil
        for stanza in stanzas where stanza.arguments.first == Array("X25519".utf8) {
            guard stanza.arguments.count == 2, let share = RawBase64.decode(stanza.arguments[1]),
                share.count == 32,
                stanza.body.count == AgeFormat.fileKeySize + AgeFormat.tagSize
            else {
                throw AgeError.malformedHeader("an X25519 stanza is not a 32-byte share and a 32-byte body")
            }
            for identity in identities {
                if let key = AgeFormat.openX25519Stanza(share: share, body: stanza.body, identity: identity) {
                    fileKey = key
                    break
                }
            }
            if fileKey != nil { break }
        }
        guard let fileKey else { throw AgeError.noMatchingIdentity }
        let macInput = Array(header.dropLast(macLine.count + 1)) + Array("---".utf8)
        guard
            HMAC<SHA256>.isValidAuthenticationCode(
                mac, authenticating: macInput, using: AgeFormat.headerKey(fileKey))
        else { throw AgeError.headerAltered }
        guard let nonce = try reader.read(exactly: AgeFormat.payloadNonceSize) else {
            throw AgeError.truncated
        }
        payloadKey = AgeFormat.payloadKey(fileKey, nonce: nonce)
        input = reader
    }

    /// Copies decrypted bytes into `buffer`; 0 once the final chunk was read and verified.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while plaintextOffset == plaintext.count {
            if sawFinal { return 0 }
            try nextChunk()
        }
        let count = min(buffer.count, plaintext.count - plaintextOffset)
        plaintext.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + plaintextOffset, byteCount: count)
        }
        plaintextOffset += count
        return count
    }

    /// Reads to the end, checking every chunk; `body` gets each chunk's plaintext.
    package func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        while true {
            if plaintextOffset < plaintext.count {
                try body(Array(plaintext[plaintextOffset...]))
                plaintextOffset = plaintext.count
            }
            if sawFinal { return }
            try nextChunk()
        }
    }

    private func nextChunk() throws {
        // One byte beyond a full chunk tells whether this chunk is the last.
        let available = try input.fill(upTo: Self.encryptedChunkSize + 1)
        let chunk = Int(counter)
        if available <= Self.encryptedChunkSize {
            guard available >= AgeFormat.tagSize else { throw AgeError.truncated }
            let bytes = input.take(available)
            guard let opened = open(bytes, final: true) else {
                // A chunk that opens as a middle chunk is a file cut at a chunk boundary.
                throw open(bytes, final: false) != nil
                    ? AgeError.truncated : AgeError.payloadAltered(chunk: chunk)
            }
            guard !opened.isEmpty || counter == 0 else { throw AgeError.payloadAltered(chunk: chunk) }
            plaintext = opened
            sawFinal = true
        } else {
            let bytes = input.take(Self.encryptedChunkSize)
            guard let opened = open(bytes, final: false) else {
                throw open(bytes, final: true) != nil
                    ? AgeError.trailingData : AgeError.payloadAltered(chunk: chunk)
            }
            plaintext = opened
        }
        plaintextOffset = 0
        counter += 1
    }

    private func open(_ bytes: ArraySlice<UInt8>, final: Bool) -> [UInt8]? {
        let split = bytes.endIndex - AgeFormat.tagSize
        guard
            let box = try? ChaChaPoly.SealedBox(
                nonce: AgeFormat.chunkNonce(counter, final: final), ciphertext: bytes[..<split],
                tag: bytes[split...]),
            let opened = try? ChaChaPoly.open(box, using: payloadKey)
        else { return nil }
        return Array(opened)
    }
}

/// Buffered reading from a pull source: lines for the header, exact counts for the payload.
struct InputBuffer {
    let source: AgeDecryptor.Source
    private var bytes: [UInt8] = []
    private var start = 0
    private var atEnd = false

    init(source: @escaping AgeDecryptor.Source) { self.source = source }

    private var count: Int { bytes.count - start }

    /// Reads until `wanted` bytes are buffered or the input ends; returns how many are buffered.
    mutating func fill(upTo wanted: Int) throws -> Int {
        if start > 0 && start >= bytes.count / 2 {
            bytes.removeFirst(start)
            start = 0
        }
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        while count < wanted && !atEnd {
            let want = min(scratch.count, wanted - count)
            let got = try scratch.withUnsafeMutableBytes {
                try source(UnsafeMutableRawBufferPointer(rebasing: $0[..<want]))
            }
            if got == 0 { atEnd = true } else { bytes += scratch[..<got] }
        }
        return count
    }

    /// Removes and returns `length` buffered bytes (at most what is buffered).
    mutating func take(_ length: Int) -> ArraySlice<UInt8> {
        let end = start + min(length, count)
        let slice = bytes[start..<end]
        start = end
        return slice
    }

    /// Exactly `length` bytes, or `nil` when the input ends first.
    mutating func read(exactly length: Int) throws -> [UInt8]? {
        guard try fill(upTo: length) >= length else { return nil }
        return Array(take(length))
    }

    /// The next line without its line feed, or `nil` at the end of the input; throws when no line
    /// feed comes within `limit` bytes (what is left of `headerLimit`, the header's whole limit,
    /// which the error names).
    mutating func readLine(limit: Int, headerLimit: Int) throws -> [UInt8]? {
        var scanned = 0
        while true {
            if let newline = bytes[(start + scanned)...].firstIndex(of: 0x0A) {
                let line = Array(bytes[start..<newline])
                start = newline + 1
                return line
            }
            scanned = count
            guard scanned < limit else {
                throw AgeError.malformedHeader(
                    "the header is longer than \(headerLimit / 1024) KiB, the most kms-drift reads")
            }
            let before = count
            if try fill(upTo: count + 256) == before { return nil }  // the input ended mid-line
        }
    }
}
