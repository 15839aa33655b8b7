import TOML

/// A small streaming JSON writer: keys in the order written, so reports are stable byte for
/// byte, with no Foundation dependency on the `check` path.
package struct JSONWriter: Sendable {
    package private(set) var output = ""
    private var needsComma: [Bool] = [false]
    private var afterKey = false
    private let indentUnit: String?

    /// `pretty` writes one member per line with two-space indentation.
    package init(pretty: Bool = true) {
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

    package mutating func beginObject() {
        beforeValue()
        output += "{"
        needsComma.append(false)
    }

    package mutating func endObject() { close("}") }

    package mutating func beginArray() {
        beforeValue()
        output += "["
        needsComma.append(false)
    }

    package mutating func endArray() { close("]") }

    /// Closes the innermost object or array; members, if any, put the bracket on its own line.
    private mutating func close(_ bracket: String) {
        let hadMembers = needsComma.removeLast()
        if hadMembers { newline(depth: needsComma.count - 1) }
        output += bracket
    }

    package mutating func key(_ name: String) {
        beforeValue()
        output += Self.quoted(name) + (indentUnit == nil ? ":" : ": ")
        afterKey = true
    }

    package mutating func string(_ text: String) {
        beforeValue()
        output += Self.quoted(text)
    }

    /// A number, `true`, `false` or `null`, written as given.
    package mutating func raw(_ literal: String) {
        beforeValue()
        output += literal
    }

    package mutating func number(_ value: Int) { raw(String(value)) }

    package mutating func optionalNumber(_ value: Int?) { raw(value.map(String.init) ?? "null") }

    package mutating func optionalString(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    /// A JSON string literal with the escapes JSON requires (see ``StringLiteral``).
    package static func quoted(_ text: String) -> String { StringLiteral.quoted(text) }
}
