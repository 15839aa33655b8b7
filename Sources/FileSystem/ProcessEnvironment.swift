import Glibc

/// This process's own environment and identity, read here so that no other module touches
/// `environ` or `getenv` itself.
package enum ProcessEnvironment {
    /// Every `NAME=value` entry as its raw bytes, in order (names and values need not be UTF-8).
    package static func entries() -> [[UInt8]] {
        var entries: [[UInt8]] = []
        var cursor = environ
        while let entry = cursor.pointee {
            entries.append(
                Array(
                    UnsafeBufferPointer(
                        start: UnsafeRawPointer(entry).assumingMemoryBound(to: UInt8.self),
                        count: strlen(entry))))
            cursor += 1
        }
        return entries
    }

    /// The environment as names and values (an entry without `=` is skipped; a later duplicate wins).
    package static var variables: [String: String] {
        var result: [String: String] = [:]
        for entry in entries() {
            let text = String(decoding: entry, as: UTF8.self)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
        }
        return result
    }

    /// The value of `name`, or `nil` when it is not set (an empty value is returned as "").
    package static func value(of name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// This process's working directory, or `nil` when it cannot be named (removed, too long).
    package static func workingDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// This process's id.
    package static var processID: Int32 { getpid() }
}
