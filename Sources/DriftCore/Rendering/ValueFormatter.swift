import TOML

/// Writes values for people (inline TOML) and machines (JSON), applying the secret policy
/// at every scalar so that no output format can leak a secret the other would hide.
package struct ValueFormatter: Sendable {
    package let secrets: SecretPolicy
    /// Longest inline rendering in text reports before it is cut with `…`.
    package let maximumTextLength: Int

    package init(secrets: SecretPolicy, maximumTextLength: Int = 120) {
        self.secrets = secrets
        self.maximumTextLength = maximumTextLength
    }

    /// Inline TOML for a text report: `"addr"`, `50001`, `{ path = "./keys" }`, `sha256:…`.
    package func text(_ value: TOMLValue, at path: KeyPath) -> String {
        var output = ""
        writeText(value, at: path, into: &output)
        if output.count > maximumTextLength {
            output = String(output.prefix(maximumTextLength - 1)) + "…"
        }
        return output
    }

    private func writeText(_ value: TOMLValue, at path: KeyPath, into output: inout String) {
        if let redacted = secrets.redactedText(of: value, at: path) {
            output += redacted
            return
        }
        switch value {
        case .string(let text): output += JSONWriter.quoted(text)
        case .integer(let number): output += String(number)
        case .float(let number): output += Self.floatText(number)
        case .boolean(let flag): output += flag ? "true" : "false"
        case .dateTime(let moment): output += moment.description
        case .array(let array):
            output += "["
            for position in 0..<array.count {
                if position > 0 { output += ", " }
                writeText(array[position], at: path.appending(.position(position)), into: &output)
            }
            output += "]"
        case .table(let table):
            if table.isEmpty {
                output += "{}"
                return
            }
            output += "{ "
            for (offset, entry) in table.entries.enumerated() {
                if offset > 0 { output += ", " }
                output += KeyPath.quotedIfNeeded(entry.key) + " = "
                writeText(entry.value, at: path.appending(key: entry.key), into: &output)
            }
            output += " }"
        }
    }

    /// The value as JSON: strings, numbers, booleans, objects, arrays; date-times as RFC 3339
    /// strings; `nan`/`inf` as strings; secrets as their fingerprint string.
    package func json(_ value: TOMLValue, at path: KeyPath, into writer: inout JSONWriter) {
        if let redacted = secrets.redactedText(of: value, at: path) {
            writer.string(redacted)
            return
        }
        switch value {
        case .string(let text): writer.string(text)
        case .integer(let number): writer.raw(String(number))
        case .float(let number):
            if number.isFinite {
                writer.raw(Self.floatText(number))
            } else {
                writer.string(Self.floatText(number))
            }
        case .boolean(let flag): writer.raw(flag ? "true" : "false")
        case .dateTime(let moment): writer.string(moment.description)
        case .array(let array):
            writer.beginArray()
            for position in 0..<array.count {
                json(array[position], at: path.appending(.position(position)), into: &writer)
            }
            writer.endArray()
        case .table(let table):
            writer.beginObject()
            for entry in table.entries {
                writer.key(entry.key)
                json(entry.value, at: path.appending(key: entry.key), into: &writer)
            }
            writer.endObject()
        }
    }

    /// True when some scalar at or under `path` would be redacted.
    package func containsSecret(_ value: TOMLValue, at path: KeyPath) -> Bool {
        switch value {
        case .array(let array):
            return (0..<array.count).contains { containsSecret(array[$0], at: path.appending(.position($0))) }
        case .table(let table):
            return table.entries.contains { containsSecret($0.value, at: path.appending(key: $0.key)) }
        default:
            return secrets.redactedText(of: value, at: path) != nil
        }
    }

    static func floatText(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return String(number)
    }
}
