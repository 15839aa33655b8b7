import Logging
import TOML

/// The daemon's log line: `key=value` fields in a fixed order, then `msg="…"`, on one line.
/// Under systemd the line starts with the sd-daemon priority `<N>` that journald turns into the
/// entry's priority; elsewhere it starts with the UTC time and the level.
package enum LogLineFormat {
    /// Fields an operator looks for first; others follow in alphabetical order.
    static let leadingKeys = [
        "event", "snapshot", "files", "critical", "warning", "info", "violations", "keys", "hook", "status",
        "duration",
        "error",
    ]

    /// syslog priorities: the `<N>` prefix journald understands (sd-daemon(3)).
    package static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// One line, without the newline.
    package static func line(
        level: Logger.Level, message: String, metadata: Logger.Metadata, journal: Bool, time: String
    ) -> String {
        var parts: [String] = []
        for key in leadingKeys {
            if let value = metadata[key] { parts.append("\(key)=\(quoted("\(value)"))") }
        }
        for key in metadata.keys.sorted() where !leadingKeys.contains(key) {
            parts.append("\(key)=\(quoted("\(metadata[key]!)"))")
        }
        if !message.isEmpty { parts.append("msg=\(quoted(message))") }
        let fields = parts.joined(separator: " ")
        if journal { return "<\(priority(of: level))>" + fields }
        return "\(time) \(level.rawValue) " + fields
    }

    /// A value as written: bare when it is a simple word, otherwise a quoted literal with `"`, `\`
    /// and control characters escaped (``StringLiteral``), so one event is always exactly one line.
    package static func quoted(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains {
                $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7f
            }
        return needsQuotes ? StringLiteral.quoted(value) : value
    }
}
