import FileSystem

/// A chain head seen outside the database: in a log line (`chain=sha256:…`), a metrics scrape,
/// or given on the command line. `verify` proves the recorded history contains it.
package struct ChainWitness: Sendable, Hashable, CustomStringConvertible {
    package var chainHash: ContentHash
    /// The snapshot the witness names with the hash (`snapshot=12` on the same log line).
    package var snapshot: SnapshotID?
    /// Where the witness came from, for messages: `--expect-head`, or `FILE:LINE`.
    package var source: String

    package init(chainHash: ContentHash, snapshot: SnapshotID? = nil, source: String) {
        self.chainHash = chainHash
        self.snapshot = snapshot
        self.source = source
    }

    package var description: String {
        "\(chainHash)\(snapshot.map { " (snapshot \($0))" } ?? "") from \(source)"
    }

    /// Parses `sha256:` and 64 hex digits, as `--expect-head` takes it.
    package static func parseHead(_ text: String, source: String) -> ChainWitness? {
        guard text.hasPrefix("sha256:"), let hash = ContentHash(hex: String(text.dropFirst(7))) else {
            return nil
        }
        return ChainWitness(chainHash: hash, source: source)
    }

    /// Every head in a file of witnesses: lines holding `chain=sha256:<hex>` (the daemon's and the
    /// one-shot's snapshot lines, as `journalctl` or a remote syslog keeps them), with the
    /// `snapshot=N` of the same line when there is one, and lines that are just `sha256:<hex>`.
    /// Other lines are ignored.
    package static func parseFile(_ text: String, name: String) -> [ChainWitness] {
        var witnesses: [ChainWitness] = []
        for (index, line) in TextLines.lines(of: text).enumerated() {
            let source = "\(name):\(index + 1)"
            let trimmed = line.trimmingWhitespace()
            if let witness = parseHead(trimmed, source: source) {
                witnesses.append(witness)
                continue
            }
            guard
                let hash = value(after: "chain=sha256:", in: line).flatMap({
                    ContentHash(hex: String($0.prefix(64)))
                })
            else { continue }
            let snapshot = value(after: "snapshot=", in: line).flatMap { text in
                Int64(text.prefix { $0.isASCII && $0.isNumber }).map(SnapshotID.init)
            }
            witnesses.append(ChainWitness(chainHash: hash, snapshot: snapshot, source: source))
        }
        return witnesses
    }

    /// The text after `key` where `key` starts a `key=value` field: at the start of the line or
    /// after a character that cannot be part of a key (a space, a quote, journald's `<6>`).
    private static func value(after key: String, in line: Substring) -> Substring? {
        var searchFrom = line.startIndex
        while let range = line[searchFrom...].range(ofASCII: key) {
            let before =
                range.lowerBound == line.startIndex ? nil : line[line.index(before: range.lowerBound)]
            let atFieldStart = before.map { !($0.isLetter || $0.isNumber || $0 == "_") } ?? true
            if atFieldStart { return line[range.upperBound...] }
            searchFrom = range.upperBound
        }
        return nil
    }
}

extension Substring {
    /// The first occurrence of an ASCII `needle`.
    fileprivate func range(ofASCII needle: String) -> Range<Index>? {
        let pattern = Array(needle.utf8)
        let bytes = Array(utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            if bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
                let lower = utf8.index(utf8.startIndex, offsetBy: start)
                let upper = utf8.index(lower, offsetBy: pattern.count)
                return lower..<upper
            }
        }
        return nil
    }
}
