/// The stable identity of an error: its type and case, and the fields of its case that say which
/// file and where (path, line, column, key, errno…), leaving out the free text (`reason`,
/// `message`) that an upgrade may reword. A TOML error, whose case carries only
/// `file:line:column: reason`, is identified by its `file:line:column`.
package enum ProblemIdentity {
    /// Payload labels that hold prose rather than identity.
    static let prose: Set<String> = [
        "reason", "message", "sqliteMessage", "fix", "detail", "text", "problems",
    ]

    package static func of(_ error: any Error) -> String {
        let type = String(reflecting: Swift.type(of: error))
        let mirror = Mirror(reflecting: error)
        guard mirror.displayStyle == .enum, let payload = mirror.children.first, let name = payload.label
        else {
            // A case without payload, or not an enum: its text is all there is.
            return type + "|" + "\(error)"
        }
        var fields: [String] = []
        let values = Mirror(reflecting: payload.value)
        if values.displayStyle == .tuple {
            for child in values.children {
                guard let label = child.label, !prose.contains(label) else {
                    if child.label == "message", let text = child.value as? String,
                        let position = position(in: text)
                    {
                        fields.append("at=" + position)
                    }
                    continue
                }
                fields.append(label.hasPrefix(".") ? "\(child.value)" : "\(label)=\(child.value)")
            }
        } else if let text = payload.value as? String {
            fields.append(position(in: text) ?? text)
        } else {
            fields.append("\(payload.value)")
        }
        return ([type + "." + name] + fields).joined(separator: "|")
    }

    /// The `file:line:column` that starts a parse error's text, if it starts with one.
    static func position(in text: String) -> String? {
        // The first ":<digits>:<digits>:" ends the position; the file name before it may hold ':'.
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == ":" {
                var cursor = index + 1
                let lineStart = cursor
                while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]) { cursor += 1 }
                if cursor > lineStart, cursor < scalars.count, scalars[cursor] == ":" {
                    let columnStart = cursor + 1
                    var end = columnStart
                    while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
                    if end > columnStart {
                        return String(String.UnicodeScalarView(scalars[0..<end]))
                    }
                }
            }
            index += 1
        }
        return nil
    }
}
