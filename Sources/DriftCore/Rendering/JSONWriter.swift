import TOML

/// A small streaming JSON writer: keys in the order written, so reports are stable byte for
/// byte, with no Foundation dependency on the `check` path.
public struct JSONWriter: Sendable {
    public private(set) var output = ""
    private var needsComma: [Bool] = [false]
    private var afterKey = false
    private let indentUnit: String?

    /// `pretty` writes one member per line with two-space indentation.
    public init(pretty: Bool = true) {
        indentUnit = pretty ? "  " : nil
    }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        if needsComma[needsComma.count - 1] { output += "," }
        needsComma[needsComma.count - 1] = true
        newline()
    }

    /// A line break and the indentation of `depth` (the current depth when omitted).
    private mutating func newline(depth: Int? = nil) {
        guard let indentUnit else { return }
        let level = depth ?? needsComma.count - 1
        guard level > 0 || depth != nil else { return }
        output += "\n" + String(repeating: indentUnit, count: level)
    }

    public mutating func beginObject() {
        beforeValue()
        output += "{"
        needsComma.append(false)
    }

    public mutating func endObject() { close("}") }

    public mutating func beginArray() {
        beforeValue()
        output += "["
        needsComma.append(false)
    }

    public mutating func endArray() { close("]") }

    /// Closes the innermost object or array; members, if any, put the bracket on its own line.
    private mutating func close(_ bracket: String) {
        let hadMembers = needsComma.removeLast()
        if hadMembers { newline(depth: needsComma.count - 1) }
        output += bracket
    }

    public mutating func key(_ name: String) {
        beforeValue()
        output += Self.quoted(name) + (indentUnit == nil ? ":" : ": ")
        afterKey = true
    }

    public mutating func string(_ text: String) {
        beforeValue()
        output += Self.quoted(text)
    }

    /// A number, `true`, `false` or `null`, written as given.
    public mutating func raw(_ literal: String) {
        beforeValue()
        output += literal
    }

    public mutating func number(_ value: Int) { raw(String(value)) }

    public mutating func optionalNumber(_ value: Int?) { raw(value.map(String.init) ?? "null") }

    public mutating func optionalString(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    /// A JSON string literal with the escapes JSON requires (see ``StringLiteral``).
    public static func quoted(_ text: String) -> String { StringLiteral.quoted(text) }
}
