import Testing

@testable import SnapshotStore

@Suite("Blob compression")
struct BlobCompressionTests {
    let text = Array(
        String(repeating: "[[threshold.peers]]\nparty_id = 1\naddress = \"p1\"\n", count: 200).utf8)

    @Test("text is stored as zstd and decodes to the same bytes")
    func zstdRoundTrip() throws {
        let (encoding, stored) = text.withUnsafeBytes { BlobCompression.encode($0) }
        #expect(encoding == .zstd)
        #expect(stored.count < text.count / 4)
        #expect(
            BlobCompression.decode(stored, encoding: encoding.rawValue, originalLength: text.count) == text)
        #expect(
            BlobCompression.decode(stored, encoding: encoding.rawValue, originalLength: text.count + 1) == nil
        )
    }

    @Test("random bytes are stored raw")
    func incompressible() {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let (encoding, stored) = random.withUnsafeBytes { BlobCompression.encode($0) }
        #expect(encoding == .raw)
        #expect(stored == random)
    }

    @Test("a chunk with an unknown encoding (1 was zlib in development builds) reads as damaged")
    func unknownEncodingIsDamage() {
        #expect(BlobCompression.decode(text, encoding: 1, originalLength: text.count) == nil)
        #expect(BlobCompression.decode(text, encoding: 7, originalLength: text.count) == nil)
        #expect(
            BlobCompression.decode(text, encoding: ChunkEncoding.raw.rawValue, originalLength: text.count)
                == text)
    }
}
