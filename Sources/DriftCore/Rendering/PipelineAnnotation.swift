/// One finding or difference as a CI system shows it beside a line: what `--format github` and
/// `--format sarif` write, whatever the command (`validate`'s findings, `check`'s differences).
package struct PipelineAnnotation: Sendable, Equatable {
    /// SARIF's levels; GitHub calls `note` `notice`.
    package enum Level: String, Sendable {
        case error
        case warning
        case note
    }

    package let level: Level
    /// The finding class (one SARIF rule each): `certificate-expired`, `drift-critical`, …
    package let ruleID: String
    /// What the class means, in one sentence (the SARIF rule's description).
    package let ruleDescription: String
    /// The file as the operator named it (relative paths stay relative, as CI wants).
    package let file: String
    /// 1-based; nil when the annotation is about the whole file.
    package let line: Int?
    package let column: Int?
    /// A short title (the key path).
    package let title: String
    package let message: String

    package init(
        level: Level, ruleID: String, ruleDescription: String, file: String, line: Int?, column: Int?,
        title: String, message: String
    ) {
        self.level = level
        self.ruleID = ruleID
        self.ruleDescription = ruleDescription
        self.file = file
        self.line = line.flatMap { $0 >= 1 ? $0 : nil }
        self.column = self.line == nil ? nil : column.flatMap { $0 >= 1 ? $0 : nil }
        self.title = title
        self.message = message
    }
}
