/// GNU `envsubst`, the Helm chart's init-container step: `$NAME` and `${NAME}` (NAME is
/// `[A-Za-z_][A-Za-z0-9_]*`) are replaced; any other `$` stays as written.
///
/// Unlike `envsubst`, which silently writes an empty string for an unset variable (and so
/// renders `my_id = ` or `bucket = ""`), `render` refuses: it names the variable and its line.
package enum Envsubst {
    /// One reference to a variable in a template.
    package struct Reference: Sendable, Equatable {
        package let name: String
        /// 1-based line of the `$`.
        package let line: Int
    }

    /// Every variable reference in `text`, in order.
    package static func references(in text: String) -> [Reference] {
        var found: [Reference] = []
        _ = scan(text) { name, line in
            found.append(Reference(name: name, line: line))
            return ""
        }
        return found
    }

    /// `text` with each reference replaced by `lookup(name)`.
    package static func substitute(_ text: String, lookup: (String) -> String) -> String {
        scan(text) { name, _ in lookup(name) }
    }

    /// Renders a template with `environment`; an unset variable is an error naming it and its line.
    package static func render(_ text: String, file: String, environment: EnvironmentVariables)
        throws(EffectiveConfigError) -> String
    {
        if let unset = references(in: text).first(where: { environment[$0.name] == nil }) {
            throw .unsetVariable(name: unset.name, file: file, line: unset.line)
        }
        return substitute(text) { environment[$0] ?? "" }
    }

    /// Walks `text`, calling `replacement(name, line)` for each reference.
    private static func scan(_ text: String, replacement: (String, Int) -> String) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var line = 1
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" { line += 1 }
            guard scalar == "$", index + 1 < scalars.count else {
                output.append(scalar)
                index += 1
                continue
            }
            if scalars[index + 1] == "{" {
                var end = index + 2
                while end < scalars.count, isNameScalar(scalars[end], first: end == index + 2) { end += 1 }
                if end > index + 2, end < scalars.count, scalars[end] == "}" {
                    let name = String(String.UnicodeScalarView(scalars[(index + 2)..<end]))
                    output.append(contentsOf: replacement(name, line).unicodeScalars)
                    index = end + 1
                    continue
                }
            } else if isNameScalar(scalars[index + 1], first: true) {
                var end = index + 2
                while end < scalars.count, isNameScalar(scalars[end], first: false) { end += 1 }
                let name = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
                output.append(contentsOf: replacement(name, line).unicodeScalars)
                index = end
                continue
            }
            output.append(scalar)
            index += 1
        }
        return String(output)
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "_": return true
        case "0"..."9": return !first
        default: return false
        }
    }
}
