import Foundation
import TestSupport
import Testing

@testable import Age

/// Our age v1 against Debian's `age` and `age-keygen`: each decrypts what the other encrypts,
/// keys are read and written in the same text, and every kind of damage is refused.
@Suite(
    "age v1 interop with the age tool", .temporaryDirectory,
    .enabled(
        if: Probe.executable(named: "age") != nil, "needs the age package (scripts/install-deps --tests)"))
struct AgeInteropTests {
    static let sizes = [0, 1, 1000, 65_536, 65_537, 131_072, 200_003]

    /// Encrypts `plaintext` with our implementation.
    static func encrypt(_ plaintext: [UInt8], to recipients: [AgeRecipient]) throws -> [UInt8] {
        var output: [UInt8] = []
        let encryptor = try AgeEncryptor(recipients: recipients) { output += $0 }
        // Odd write sizes, so chunking does not depend on how the caller writes.
        var offset = 0
        var step = 1
        while offset < plaintext.count {
            let end = min(plaintext.count, offset + step)
            try encryptor.write(Array(plaintext[offset..<end]))
            offset = end
            step = step * 3 + 7
        }
        try encryptor.finish()
        return output
    }

    /// Decrypts with our implementation.
    static func decrypt(_ ciphertext: [UInt8], with identities: [AgeIdentity]) throws -> [UInt8] {
        var offset = 0
        let decryptor = try AgeDecryptor(identities: identities) { buffer in
            let count = min(buffer.count, ciphertext.count - offset, 7_777)
            ciphertext.withUnsafeBytes {
                buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count)
            }
            offset += count
            return count
        }
        var plaintext: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 10_000)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try decryptor.read(into: $0) }
            if count == 0 { return plaintext }
            plaintext += chunk[..<count]
        }
    }

    static func ageKeygen(_ directory: TemporaryDirectory, _ name: String) throws -> (
        identityFile: String, recipient: String
    ) {
        let path = directory.path(name)
        let result = try runProcess("/usr/bin/env", ["age-keygen", "-o", path])
        #expect(result.status == 0, "\(result.stderr)")
        let recipient = try runProcess("/usr/bin/env", ["age-keygen", "-y", path]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return (path, recipient)
    }

    @Test(
        "keys: age-keygen's identity file parses to the recipient it prints; ours round-trip through age-keygen -y"
    )
    func keys() throws {
        let directory = try TemporaryDirectory.current()
        let (identityFile, recipientText) = try Self.ageKeygen(directory, "key.txt")
        let identities = try AgeIdentity.parseFile(try directory.readText("key.txt"), source: identityFile)
        #expect(identities.count == 1)
        #expect(identities[0].recipient.description == recipientText)
        #expect(try AgeRecipient(parsing: recipientText).description == recipientText)

        let ours = AgeIdentity()
        try directory.write("ours.txt", "# created by a test\n" + ours.encoded + "\n")
        let derived = try runProcess("/usr/bin/env", ["age-keygen", "-y", directory.path("ours.txt")])
        #expect(derived.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == ours.recipient.description)
        #expect(AgeIdentity(parsing: ours.encoded.lowercased()) == nil, "identities are upper case")
        #expect(throws: AgeError.invalidRecipient("age1qqqq")) { try AgeRecipient(parsing: "age1qqqq") }
        var flipped = Array(recipientText.utf8)
        flipped[10] = flipped[10] == UInt8(ascii: "q") ? UInt8(ascii: "p") : UInt8(ascii: "q")
        #expect(throws: AgeError.self) { try AgeRecipient(parsing: String(decoding: flipped, as: UTF8.self)) }
    }

    @Test("age -d decrypts what we encrypt, to two recipients, at every chunk boundary", arguments: sizes)
    func weEncryptAgeDecrypts(size: Int) throws {
        let directory = try TemporaryDirectory.current()
        let first = try Self.ageKeygen(directory, "first.txt")
        let second = try Self.ageKeygen(directory, "second.txt")
        let plaintext = randomBytes(size, seed: UInt64(size) + 1)
        let ciphertext = try Self.encrypt(
            plaintext,
            to: [try AgeRecipient(parsing: first.recipient), try AgeRecipient(parsing: second.recipient)])
        try directory.write("file.age", ciphertext)
        for identity in [first.identityFile, second.identityFile] {
            let result = try runProcess(
                "/usr/bin/env", ["age", "-d", "-i", identity, directory.path("file.age")])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.standardOutput == plaintext)
        }
    }

    @Test("we decrypt what age -r encrypts", arguments: sizes)
    func ageEncryptsWeDecrypt(size: Int) throws {
        let directory = try TemporaryDirectory.current()
        let key = try Self.ageKeygen(directory, "key.txt")
        let plaintext = randomBytes(size, seed: UInt64(size) + 99)
        try directory.write("plain", plaintext)
        let encrypted = try runProcess(
            "/usr/bin/env",
            ["age", "-r", key.recipient, "-o", directory.path("file.age"), directory.path("plain")])
        #expect(encrypted.status == 0, "\(encrypted.stderr)")
        let identities = try AgeIdentity.parseFile(
            try directory.readText("key.txt"), source: key.identityFile)
        #expect(try Self.decrypt(try directory.read("file.age"), with: identities) == plaintext)
    }

    @Test("a wrong identity, a cut file, a flipped byte and appended bytes are each refused")
    func damage() throws {
        let directory = try TemporaryDirectory.current()
        let key = try Self.ageKeygen(directory, "key.txt")
        let identities = try AgeIdentity.parseFile(
            try directory.readText("key.txt"), source: key.identityFile)
        let plaintext = randomBytes(150_000, seed: 7)
        let ciphertext = try Self.encrypt(plaintext, to: [try AgeRecipient(parsing: key.recipient)])
        #expect(try Self.decrypt(ciphertext, with: identities) == plaintext)

        #expect(throws: AgeError.noMatchingIdentity) { try Self.decrypt(ciphertext, with: [AgeIdentity()]) }
        let headerEnd = ciphertext.count - 150_000 - 3 * 16 - 16
        let chunk = 65_536 + 16
        // Cut: inside the header, inside the nonce, inside a chunk, exactly at a chunk boundary.
        for length in [
            10, headerEnd + 5, headerEnd + 16 + 100, headerEnd + 16 + chunk, headerEnd + 16 + 2 * chunk,
        ] {
            #expect(throws: AgeError.self, "cut at \(length)") {
                try Self.decrypt(Array(ciphertext.prefix(length)), with: identities)
            }
        }
        #expect(throws: AgeError.truncated) {
            try Self.decrypt(Array(ciphertext.prefix(headerEnd + 16 + chunk)), with: identities)
        }
        // Flipped: in a stanza body, in the MAC, in the nonce, in each chunk.
        for position in [
            30, headerEnd - 10, headerEnd + 3, headerEnd + 16 + 10, headerEnd + 16 + chunk + 5,
            ciphertext.count - 1,
        ] {
            var damaged = ciphertext
            damaged[position] ^= 0x01
            #expect(throws: AgeError.self, "flipped byte \(position)") {
                try Self.decrypt(damaged, with: identities)
            }
        }
        #expect(throws: AgeError.self) { try Self.decrypt(ciphertext + [0], with: identities) }
        #expect(throws: AgeError.notAgeFile) { try Self.decrypt(Array("hello\n".utf8), with: identities) }
    }
}

extension AgeIdentity: Equatable {
    public static func == (lhs: AgeIdentity, rhs: AgeIdentity) -> Bool { lhs.encoded == rhs.encoded }
}
