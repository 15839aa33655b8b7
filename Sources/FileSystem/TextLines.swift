/// The one line splitter of every line-based input (env files, recipients and identity files,
/// witness files, key files, templates): LF and CRLF end a line alike, and a last line without a
/// newline is a line. Splits bytes, not `Character`s: in Swift `"\r\n"` is one `Character`, which
/// never equals `"\n"`, so splitting a `String` on `"\n"` reads a CRLF file as one line.
package enum TextLines {
    /// The lines of `text`, without their `\n` or `\r\n`; line `n` of the file is element `n - 1`.
    /// A file ending in a newline has no empty last line; an empty text has no line.
    package static func lines(of text: String) -> [Substring] {
        let bytes = text.utf8
        var lines: [Substring] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\n") {
                lines.append(line(bytes, from: start, to: index))
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        if start != bytes.endIndex { lines.append(line(bytes, from: start, to: bytes.endIndex)) }
        return lines
    }

    /// The lines of UTF-8 `bytes` (invalid sequences replaced), as ``lines(of:)``.
    package static func lines(of bytes: some Collection<UInt8>) -> [Substring] {
        lines(of: String(decoding: bytes, as: UTF8.self))
    }

    /// `bytes[start..<end]` without a final `\r`.
    private static func line(_ bytes: String.UTF8View, from start: String.Index, to end: String.Index)
        -> Substring
    {
        var end = end
        if end != start, bytes[bytes.index(before: end)] == UInt8(ascii: "\r") {
            end = bytes.index(before: end)
        }
        return Substring(bytes[start..<end])
    }
}
