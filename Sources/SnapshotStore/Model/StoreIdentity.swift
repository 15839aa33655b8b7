/// A store's own name: random bytes made once with the store (schema 6), shown as 16 lowercase hex
/// digits. Exports and `[backup]` files are named by it, so two stores on one host (a node and its
/// rebuild, say) never take each other's files for their own.
package struct StoreIdentity: Hashable, Sendable, CustomStringConvertible {
    package let bytes: [UInt8]

    package init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses the 16 hex digits of ``description``; `nil` for anything else.
    package init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 16 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 16, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16),
                digits[index..<index + 2].allSatisfy({
                    ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66)
                })
            else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    /// 8 random bytes from the system's generator.
    static func random() -> StoreIdentity {
        var generator = SystemRandomNumberGenerator()
        return StoreIdentity(bytes: (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    package var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
