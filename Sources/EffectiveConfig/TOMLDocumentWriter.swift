import DriftCore
import TOML

/// Writes a layered configuration as a TOML document: plain keys first, then `[tables]` and
/// `[[arrays of tables]]`, with each leaf's origin as a trailing comment when asked
/// (`--show-origin`) and secrets replaced by their fingerprint unless the policy shows them.
/// `null` values are left out (TOML has no null; they mean "not set").
struct TOMLDocumentWriter {
    let showOrigin: Bool
    let secrets: SecretPolicy
    /// Named after the origin with `--show-origin`: `(2.6 → 3, rounded as config-rs does)`.
    var conversions: [KeyPath: ValueConversion] = [:]

    func document(_ root: LayeredTable) -> String {
        var output = ""
        writeBody(root, header: [], path: .root, into: &output)
        return output
    }

    /// The plain entries of `table`, then its sub-tables and arrays of tables as sections.
    private func writeBody(_ table: LayeredTable, header: [String], path: KeyPath, into output: inout String)
    {
        var sections: [(String, LayeredValue)] = []
        for (key, value) in table.entries {
            switch value {
            case .null:
                continue
            case .table:
                sections.append((key, value))
            case .array(let elements, _) where Self.isArrayOfTables(elements):
                sections.append((key, value))
            case .array(let elements, let origin):
                let present = elements.filter { if case .null = $0 { return false } else { return true } }
                output += KeyPath.quotedIfNeeded(key) + " = "
                writeInline(.array(present, origin), path: path.appending(key: key), into: &output)
                appendOrigin(origin, into: &output)
            case .scalar(let scalar, let origin):
                output += KeyPath.quotedIfNeeded(key) + " = "
                writeScalar(scalar, path: path.appending(key: key), into: &output)
                appendOrigin(
                    origin, conversion: conversionNote(scalar, at: path.appending(key: key)), into: &output)
            }
        }
        for (key, value) in sections {
            let childHeader = header + [key]
            let childPath = path.appending(key: key)
            let headerText = childHeader.map(KeyPath.quotedIfNeeded).joined(separator: ".")
            switch value {
            case .table(let child):
                let hasPlainEntries = child.entries.contains { entry in
                    switch entry.value {
                    case .scalar, .null: return true
                    case .array(let elements, _): return !Self.isArrayOfTables(elements)
                    case .table: return false
                    }
                }
                if hasPlainEntries || child.isEmpty {
                    if !output.isEmpty { output += "\n" }
                    output += "[" + headerText + "]\n"
                }
                writeBody(child, header: childHeader, path: childPath, into: &output)
            case .array(let elements, _):
                for (position, element) in elements.enumerated() {
                    guard case .table(let item) = element else { continue }
                    if !output.isEmpty { output += "\n" }
                    output += "[[" + headerText + "]]\n"
                    writeBody(
                        item, header: childHeader, path: childPath.appending(.position(position)),
                        into: &output)
                }
            default:
                break
            }
        }
    }

    private func appendOrigin(_ origin: ValueOrigin, conversion: String? = nil, into output: inout String) {
        if showOrigin { output += "  # " + origin.description + (conversion.map { " (\($0))" } ?? "") }
        output += "\n"
    }

    /// `2.6 → 3, rounded as config-rs does`; values redacted as everywhere.
    private func conversionNote(_ value: TOMLValue, at path: KeyPath) -> String? {
        guard showOrigin, let conversion = conversions[path] else { return nil }
        var written = ""
        var converted = ""
        writeScalar(conversion.written, path: path, into: &written)
        writeScalar(value, path: path, into: &converted)
        return "\(written) → \(converted), \(conversion.how)"
    }

    private func writeInline(_ value: LayeredValue, path: KeyPath, into output: inout String) {
        switch value {
        case .null:
            output += "\"\""
        case .scalar(let scalar, _):
            writeScalar(scalar, path: path, into: &output)
        case .array(let elements, _):
            output += "["
            var first = true
            for (position, element) in elements.enumerated() {
                if case .null = element { continue }
                if !first { output += ", " }
                first = false
                writeInline(element, path: path.appending(.position(position)), into: &output)
            }
            output += "]"
        case .table(let table):
            output += "{"
            var first = true
            for (key, element) in table.entries {
                if case .null = element { continue }
                output += first ? " " : ", "
                first = false
                output += KeyPath.quotedIfNeeded(key) + " = "
                writeInline(element, path: path.appending(key: key), into: &output)
            }
            output += first ? "}" : " }"
        }
    }

    private func writeScalar(_ value: TOMLValue, path: KeyPath, into output: inout String) {
        if let redacted = secrets.redactedText(of: value, at: path) {
            output += JSONWriter.quoted(redacted)
            return
        }
        switch value {
        case .string(let text): output += JSONWriter.quoted(text)
        case .integer(let number): output += String(number)
        case .float(let number):
            if number.isNaN {
                output += "nan"
            } else if number.isInfinite {
                output += number < 0 ? "-inf" : "inf"
            } else {
                let text = String(number)
                output += text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? text : text + ".0"
            }
        case .boolean(let flag): output += flag ? "true" : "false"
        case .dateTime(let moment): output += moment.description
        case .array, .table:
            // Containers never reach here: LayeredValue keeps them as .array / .table.
            output += "\"\""
        }
    }

    static func isArrayOfTables(_ elements: [LayeredValue]) -> Bool {
        !elements.isEmpty && elements.allSatisfy { if case .table = $0 { return true } else { return false } }
    }
}
