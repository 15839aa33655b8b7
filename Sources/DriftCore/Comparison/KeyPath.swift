/// Where a value lives in a configuration, by meaning rather than by text position:
/// `threshold.peers[party_id=3].address`.
///
/// Items of an array of tables are named by their identity key when they have one, so a
/// path stays the same when peers are reordered.
package struct KeyPath: Hashable, Sendable, Comparable, CustomStringConvertible {
    package enum Segment: Hashable, Sendable {
        /// A table key.
        case key(String)
        /// An array element by position (0-based).
        case position(Int)
        /// An array-of-tables item by its identity key and value, e.g. `party_id=3`.
        case identity(key: String, value: String)
    }

    package private(set) var segments: [Segment]

    package init(_ segments: [Segment] = []) {
        self.segments = segments
    }

    /// A path made of table keys only, as in `KeyPath(keys: "threshold", "my_id")`.
    package init(keys: String...) {
        self.segments = keys.map(Segment.key)
    }

    package static let root = KeyPath()

    package var isRoot: Bool { segments.isEmpty }

    package func appending(_ segment: Segment) -> KeyPath {
        var copy = self
        copy.segments.append(segment)
        return copy
    }

    package func appending(key: String) -> KeyPath { appending(.key(key)) }

    /// The last table key on the path (`address` for `peers[party_id=3].address`).
    package var lastKey: String? {
        for segment in segments.reversed() {
            if case .key(let name) = segment { return name }
        }
        return nil
    }

    /// Table keys only, positions and identities dropped: what schema rules are written against.
    package var keyNames: [String] {
        segments.compactMap { segment in
            if case .key(let name) = segment { return name }
            return nil
        }
    }

    /// Dotted text with TOML quoting for keys that need it: `a."b.c"[2][name=x].d`.
    package var description: String {
        var text = ""
        for segment in segments {
            switch segment {
            case .key(let name):
                if !text.isEmpty { text += "." }
                text += KeyPath.quotedIfNeeded(name)
            case .position(let index):
                text += "[\(index)]"
            case .identity(let key, let value):
                text += "[\(key)=\(value)]"
            }
        }
        return text
    }

    package static func < (lhs: KeyPath, rhs: KeyPath) -> Bool {
        lhs.description < rhs.description
    }

    /// A key as TOML would write it: bare when it is only `A-Za-z0-9_-`, quoted otherwise.
    package static func quotedIfNeeded(_ key: String) -> String {
        let isBare =
            !key.isEmpty
            && key.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                    || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D
            }
        // JSON's escapes (\" \\ \n \r \t \u00XX) are all valid in a TOML basic string.
        return isBare ? key : JSONWriter.quoted(key)
    }
}
