/// Parses TOML documents from bytes into `TOMLTable` trees that remember where every key and
/// value was written, so drift reports and errors can point at `file:line:column`.
///
/// Reads raw UTF-8 bytes rather than `String` so encoding mistakes (invalid UTF-8, NUL, bare CR)
/// are reported as TOML requires instead of being repaired silently.
public struct TOMLParser: Sendable {
    /// Which TOML specification to follow.
    public enum Version: Sendable {
        /// TOML 1.0.0: rejects what 1.1 added (newlines and trailing commas in inline tables,
        /// `\e` and `\xHH` escapes, times without seconds).
        case v1_0
        /// TOML 1.1.0, which kms-server itself accepts.
        case v1_1
    }

    /// The deepest nesting of arrays and inline tables accepted; deeper input is an error
    /// rather than a risk to the stack.
    public static let maximumNesting = 512

    public let version: Version

    public init(version: Version = .v1_1) {
        self.version = version
    }

    /// Parses a whole document and returns its root table.
    ///
    /// - Parameters:
    ///   - bytes: the file's contents, UTF-8 encoded; a leading byte order mark is skipped.
    ///   - fileName: how errors name the file (`cur.toml:12:9: …`).
    public func parse(_ bytes: [UInt8], fileName: String = "<input>") throws(TOMLParseError) -> TOMLTable {
        let result: Result<TOMLTable, TOMLParseError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(
                bytes: buffer, fileName: fileName, version: version, maxDepth: Self.maximumNesting)
            do throws(TOMLParseError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses a document from memory the caller owns, and tells `releaseConsumed` — every few
    /// megabytes, between top-level statements — how many leading bytes the parser will never
    /// read again, so a large input can be given back to the system while its tree grows.
    /// Parse errors and locations never need those bytes: they carry their own line numbers.
    public func parse(
        _ buffer: UnsafeBufferPointer<UInt8>, fileName: String, releaseConsumed: @escaping (Int) -> Void
    ) throws(TOMLParseError) -> TOMLTable {
        var parser = Parser(
            bytes: buffer, fileName: fileName, version: version, maxDepth: Self.maximumNesting)
        parser.releaseConsumed = releaseConsumed
        return try parser.parseDocument()
    }

    /// Parses a document held in a `String` (convenience for tests and small inputs).
    public func parse(_ text: String, fileName: String = "<input>") throws(TOMLParseError) -> TOMLTable {
        try parse(Array(text.utf8), fileName: fileName)
    }
}

extension Parser {
    /// How much input is parsed between two `releaseConsumed` calls.
    static let releaseStep = 4 << 20

    /// The top level: key/value pairs and headers, one per line.
    mutating func parseDocument() throws(TOMLParseError) -> TOMLTable {
        if end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            pos = 3
            lineStart = 3
        }
        let root = TOMLTable()
        var current = root
        while true {
            try skipWhitespaceCommentsAndNewlines()
            guard pos < end else { break }
            if bytes[pos] == UInt8(ascii: "[") {
                // The section of `current` ends here; later additions (sub-tables) are rare.
                current.shrinkToFit()
                current = try parseHeader(root: root)
            } else {
                do {
                    let key = try parseKeyValue(into: current)
                    try expectEndOfLine(after: key)
                } catch var error {
                    if let keys = error.valueKeyPath {
                        error.valueKeyPath = currentHeader + keys
                    } else if case .expectedEndOfLine(let key, _) = error.reason {
                        error.valueKeyPath = currentHeader + [key]
                    }
                    throw error
                }
            }
            if let releaseConsumed, pos - lastRelease >= Self.releaseStep {
                // A statement boundary: nothing before the current line is read again.
                releaseConsumed(lineStart)
                lastRelease = pos
            }
        }
        current.shrinkToFit()
        root.shrinkToFit()
        for table in unfinishedTables { table.shrinkToFit() }
        for array in unfinishedArrays { array.shrinkToFit() }
        return root
    }
}
