import DriftCore
import FileSystem

/// A docker-compose env file (`env_file:`), read as compose reads it: `KEY=VALUE` per line,
/// `#` comments and blank lines skipped, an optional `export `, values unquoted (trimmed, an
/// inline ` #` starts a comment), `'single-quoted'` (literal) or `"double-quoted"` (escapes
/// `\n \t \" \\ \$`, may span lines). `${VAR}` and `$VAR` in unquoted and double-quoted values
/// are replaced by variables set earlier, as compose interpolates them.
package enum EnvFile {
    /// Parses `path`; `known` holds the variables set by earlier sources, for interpolation.
    package static func read(_ path: String, known: EnvironmentVariables = EnvironmentVariables())
        throws(EffectiveConfigError) -> EnvironmentVariables
    {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(path)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        return try parse(String(decoding: bytes, as: UTF8.self), path: path, known: known)
    }

    package static func parse(
        _ text: String, path: String, known: EnvironmentVariables = EnvironmentVariables()
    )
        throws(EffectiveConfigError) -> EnvironmentVariables
    {
        var result = EnvironmentVariables()
        let lines = TextLines.lines(of: text)
        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            var line = lines[index].drop { $0 == " " || $0 == "\t" }
            index += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7).drop { $0 == " " || $0 == "\t" } }
            guard let equals = line.firstIndex(of: "=") else {
                throw .envFileSyntax(
                    path: path, line: lineNumber,
                    reason:
                        "`\(line)` has no `=`: compose would take its value from the shell that runs it, "
                        + "which kms-drift cannot see; write \(line)=VALUE")
            }
            let name = String(line[..<equals]).trimmingSpaces()
            guard isValidName(name) else {
                throw .envFileSyntax(path: path, line: lineNumber, reason: "`\(name)` is not a variable name")
            }
            var rest = line[line.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            let value: String
            if rest.first == "'" {
                rest = rest.dropFirst()
                var collected = ""
                while true {
                    if let close = rest.firstIndex(of: "'") {
                        collected += rest[..<close]
                        break
                    }
                    guard index < lines.count else {
                        throw .envFileSyntax(
                            path: path, line: lineNumber, reason: "unterminated single quote")
                    }
                    collected += rest + "\n"
                    rest = lines[index]
                    index += 1
                }
                value = collected
            } else if rest.first == "\"" {
                rest = rest.dropFirst()
                var collected = ""
                var closed = false
                while !closed {
                    var iterator = rest.makeIterator()
                    while let character = iterator.next() {
                        if character == "\\" {
                            switch iterator.next() {
                            case "n": collected += "\n"
                            case "t": collected += "\t"
                            case "r": collected += "\r"
                            case "\"": collected += "\""
                            case "\\": collected += "\\"
                            case "$": collected += "\u{E000}"
                            case let other?: collected += "\\" + String(other)
                            case nil: collected += "\\"
                            }
                        } else if character == "\"" {
                            closed = true
                            break
                        } else {
                            collected.append(character)
                        }
                    }
                    if closed { break }
                    guard index < lines.count else {
                        throw .envFileSyntax(
                            path: path, line: lineNumber, reason: "unterminated double quote")
                    }
                    collected += "\n"
                    rest = lines[index]
                    index += 1
                }
                value = interpolate(collected, known: known, local: result).replacingEscapedDollars()
            } else {
                var raw = String(rest)
                if let comment = raw.firstRange(of: " #") { raw = String(raw[..<comment.lowerBound]) }
                if let comment = raw.firstRange(of: "\t#") { raw = String(raw[..<comment.lowerBound]) }
                value = interpolate(raw.trimmingSpaces(), known: known, local: result)
            }
            result[name] = value
        }
        return result
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first,
            first == "_" || first.properties.isAlphabetic && first.isASCII
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII
                && ($0 == "_" || $0 == "." || $0 == "-" || $0.properties.isAlphabetic
                    || ("0"..."9").contains($0))
        }
    }

    /// `${VAR}` and `$VAR` replaced by earlier values; unknown variables become empty, as in compose.
    static func interpolate(_ text: String, known: EnvironmentVariables, local: EnvironmentVariables)
        -> String
    {
        guard text.contains("$") else { return text }
        return Envsubst.substitute(text) { name in local[name] ?? known[name] ?? "" }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs, as docker compose reads an env file.
    func trimmingSpaces() -> String { trimming { $0 == " " || $0 == "\t" } }
}

extension String {
    /// An escaped `\$` in a double-quoted value was marked with U+E000 so interpolation skipped it.
    fileprivate func replacingEscapedDollars() -> String {
        contains("\u{E000}")
            ? split(separator: "\u{E000}", omittingEmptySubsequences: false).joined(separator: "$") : self
    }
}
