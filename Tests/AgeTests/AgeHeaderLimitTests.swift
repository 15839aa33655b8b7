import Testing

@testable import Age

/// Header checks of issue 18: an over-long header names the 64 KiB limit (not the bytes left of
/// it), and an scrypt stanza beside an X25519 one is refused, as the age spec requires.
@Suite("age header: the size limit and the scrypt rule")
struct AgeHeaderLimitTests {
    static func decrypt(_ bytes: [UInt8], with identities: [AgeIdentity]) throws {
        var offset = 0
        let decryptor = try AgeDecryptor(identities: identities) { buffer in
            let count = min(buffer.count, bytes.count - offset)
            bytes.withUnsafeBytes {
                buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count)
            }
            offset += count
            return count
        }
        var chunk = [UInt8](repeating: 0, count: 4096)
        while try chunk.withUnsafeMutableBytes({ try decryptor.read(into: $0) }) > 0 {}
    }

    @Test(
        "a header over the limit says 64 KiB, whatever is left when the long line starts",
        arguments: [0, 100, 65_000])
    func headerLimit(before: Int) {
        // Stanzas of `before` bytes in all, then a line that never ends.
        var header = Array("age-encryption.org/v1\n".utf8)
        while header.count < before {
            header += Array("-> x\n".utf8) + Array(repeating: UInt8(ascii: "A"), count: 60) + [0x0A]
        }
        header += Array("-> X25519 ".utf8) + Array(repeating: UInt8(ascii: "B"), count: 70_000)
        #expect(
            throws: AgeError.malformedHeader("the header is longer than 64 KiB, the most kms-drift reads")
        ) {
            try Self.decrypt(header, with: [AgeIdentity()])
        }
    }

    @Test("an scrypt stanza beside an X25519 stanza is refused")
    func scryptBesideX25519() throws {
        let identity = AgeIdentity()
        var output: [UInt8] = []
        let encryptor = try AgeEncryptor(recipients: [identity.recipient]) { output += $0 }
        try encryptor.write(Array("secret".utf8))
        try encryptor.finish()
        let versionLine = Array("age-encryption.org/v1\n".utf8)
        #expect(output.starts(with: versionLine))
        // A canonical scrypt stanza: salt and work factor, a 32-byte body (43 base64 characters).
        let scrypt =
            Array("-> scrypt c2FsdHNhbHRzYWx0c2FsdA 10\n".utf8)
            + Array(repeating: UInt8(ascii: "A"), count: 42) + Array("A\n".utf8)
        let tampered = versionLine + scrypt + Array(output.dropFirst(versionLine.count))
        #expect(
            throws: AgeError.malformedHeader(
                "an scrypt stanza is not the only stanza, which the age format forbids")
        ) {
            try Self.decrypt(tampered, with: [identity])
        }
        // Untouched, it decrypts.
        try Self.decrypt(output, with: [identity])
    }
}
