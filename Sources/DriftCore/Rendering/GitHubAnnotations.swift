/// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), one line
/// per annotation, so a job's log annotates the pull request's lines.
///
/// Escaping as the Actions toolkit does (`toCommandValue`/`escapeData`/`escapeProperty`): in
/// the message `%`, CR and LF become `%25`, `%0D`, `%0A`; in a property also `:` and `,`
/// (`%3A`, `%2C`), so a value can neither end the command nor add a property.
package enum GitHubAnnotations {
    package static func render(_ annotations: [PipelineAnnotation]) -> String {
        annotations.map(line).joined()
    }

    /// One workflow command, newline-terminated.
    package static func line(_ annotation: PipelineAnnotation) -> String {
        let command: String
        switch annotation.level {
        case .error: command = "error"
        case .warning: command = "warning"
        case .note: command = "notice"
        }
        var properties = ["file=" + escapeProperty(annotation.file)]
        if let line = annotation.line {
            properties.append("line=\(line)")
            if let column = annotation.column { properties.append("col=\(column)") }
        }
        properties.append("title=" + escapeProperty(annotation.title))
        return "::\(command) \(properties.joined(separator: ","))::\(escapeData(annotation.message))\n"
    }

    package static func escapeData(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": result += "%25"
            case "\r": result += "%0D"
            case "\n": result += "%0A"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    package static func escapeProperty(_ text: String) -> String {
        var result = ""
        for scalar in escapeData(text).unicodeScalars {
            switch scalar {
            case ":": result += "%3A"
            case ",": result += "%2C"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
