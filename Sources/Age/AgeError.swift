/// Why an age file or key could not be used, worded for the operator holding it.
package enum AgeError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A recipient that is not `age1` followed by a valid Bech32 X25519 key.
    case invalidRecipient(String)
    /// An identity line that is not a valid `AGE-SECRET-KEY-1…`.
    case invalidIdentity(source: String, line: Int)
    /// An identity file with no identity in it.
    case noIdentity(source: String)
    /// The input does not start with the age v1 version line.
    case notAgeFile
    /// The header is malformed (what is wrong is said).
    case malformedHeader(String)
    /// No stanza could be opened with the identities given.
    case noMatchingIdentity
    /// The header's MAC does not verify: it was altered.
    case headerAltered
    /// A payload chunk does not decrypt: the file was altered, or cut at a chunk boundary.
    case payloadAltered(chunk: Int)
    /// The file ends before its final chunk.
    case truncated
    /// Data follows the final chunk.
    case trailingData
    /// Reading or writing the underlying file failed.
    case io(String)

    package var description: String {
        switch self {
        case .invalidRecipient(let text):
            return
                "\"\(text)\" is not an age recipient (age1 followed by 58 Bech32 characters, as age-keygen prints)"
        case .invalidIdentity(let source, let line):
            return "\(source):\(line) is not an age identity (AGE-SECRET-KEY-1…, as age-keygen writes)"
        case .noIdentity(let source):
            return "\(source) holds no age identity (a line AGE-SECRET-KEY-1…)"
        case .notAgeFile:
            return "the input is not an age-encrypted file (it does not start with age-encryption.org/v1)"
        case .malformedHeader(let reason):
            return "the age header is malformed: \(reason)"
        case .noMatchingIdentity:
            return "none of the given identities can decrypt this file (it was encrypted to other recipients)"
        case .headerAltered:
            return "the age header's MAC does not verify: the file was altered"
        case .payloadAltered(let chunk):
            return
                "the encrypted payload does not authenticate at chunk \(chunk): the file was altered or cut"
        case .truncated:
            return "the encrypted file ends before its final chunk: it was cut short"
        case .trailingData:
            return "data follows the final chunk of the encrypted file: it was altered"
        case .io(let reason):
            return reason
        }
    }
}
